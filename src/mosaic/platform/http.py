"""HTTP conditions shared by every resource: If-Match on writes, ETag and Location on replies.

A write names the state it was based on (`If-Match: "<etag>"`, or `*` for any): without it the
request gets 428, and when the state has moved on, 412. Weak tags never match a write.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from mosaic.platform.errors import PreconditionFailed, PreconditionRequired

ANY_VERSION = "*"


def if_match() -> frozenset[str]:
    """The strong ETags of If-Match (`*` for any); 428 when the header is missing."""
    if "If-Match" not in request.headers:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last GET, so you do not overwrite a change "
            "you have not seen."
        )
    tags = request.if_match
    if tags.star_tag:
        return frozenset({ANY_VERSION})
    strong = tags.as_set(include_weak=False)
    if not strong:
        raise PreconditionFailed(
            'If-Match holds only weak tags (W/"..."), and a weak tag never matches a write '
            "(RFC 9110, section 13.1.1): send the ETag exactly as the GET gave it."
        )
    return frozenset(strong)


def ensure_current(etag: str, expected: Collection[str], *, what: str) -> None:
    """412 unless `expected` (If-Match) names `etag` or is `*`; `what` names the resource."""
    if ANY_VERSION not in expected and etag not in expected:
        raise stale(etag, what=what)


def stale(etag: str, *, what: str) -> PreconditionFailed:
    return PreconditionFailed(
        f'The {what} changed since you read it; its ETag is now "{etag}". GET it again and retry.'
    )


def represent(body: Any, *, etag: str, status: int = 200, location: str | None = None) -> Response:
    """One resource's representation with its ETag (and Location when it was just created)."""
    response = jsonify(body)
    response.status_code = status
    response.set_etag(etag)
    if location:
        response.headers["Location"] = location
    return response


def _no_body_no_type(response: Response) -> Response:
    """A 204 or 304 has no body, so it names no media type."""
    if response.status_code in {204, 304}:
        response.headers.pop("Content-Type", None)
    return response


def _refuse_an_oversized_stream() -> None:
    """A body without Content-Length (chunked) is cut at MAX_CONTENT_LENGTH by Werkzeug without
    a word, and the view would read a truncated document (a 400 "not valid JSON", or worse, a
    prefix that parses). Read it here, bounded, and refuse it whole when more waits past it."""
    limit = request.max_content_length
    if limit is None or request.content_length is not None:
        return
    if not request.environ.get("wsgi.input_terminated"):
        return  # Werkzeug reads no body of unknown length from such a server
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def init_http(app: Flask) -> None:
    app.before_request(_refuse_an_oversized_stream)
    app.after_request(_no_body_no_type)
