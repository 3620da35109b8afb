"""HTTP conditions shared by every resource: If-Match on writes, ETag and Location on replies.

A write names the state it was based on (`If-Match: "<etag>"`, or `*` for any): without it the
request gets 428, and when the state has moved on, 412. Weak tags never match a write.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Flask, Response, jsonify, request

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


def init_http(app: Flask) -> None:
    app.after_request(_no_body_no_type)
