"""HTTP conditions shared by every resource: If-Match on writes, ETag and Location on replies.

A write names the state it was based on (`If-Match: "<etag>"`, or `*` for any): without it the
request gets 428, and when the state has moved on, 412. Weak tags never match a write.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Response, jsonify, request

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
    return frozenset({ANY_VERSION} if tags.star_tag else tags.as_set(include_weak=False))


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
