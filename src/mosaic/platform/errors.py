"""RFC 9457 problem details: the one shape of every error response, and the exceptions behind it.

Contexts raise subclasses of `MosaicError` (`NotFound`, `Conflict`, `RuleViolation`, ...);
`register_error_handlers` turns them, HTTP errors, validation errors and database failures
into `application/problem+json`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, g, json, request
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from mosaic.platform.db import is_transaction_conflict

PROBLEM_MIMETYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://mosaic.example/problems/"
FieldErrors = list[dict[str, str]]

log = logging.getLogger("mosaic.errors")


class MosaicError(Exception):
    """Base of every error a service raises on purpose."""

    status = HTTPStatus.INTERNAL_SERVER_ERROR
    slug: str | None = None  # None: the HTTP status says it all ("about:blank")

    def __init__(self, detail: str, *, errors: FieldErrors | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class BadRequest(MosaicError):
    status = HTTPStatus.BAD_REQUEST
    slug = "bad-request"


class NotFound(MosaicError):
    status = HTTPStatus.NOT_FOUND


class Conflict(MosaicError):
    status = HTTPStatus.CONFLICT
    slug = "conflict"


class RuleViolation(MosaicError):
    """A business rule refused the input (a negative price, a reading with no timestamp)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    slug = "validation-error"


class Unauthorized(MosaicError):
    status = HTTPStatus.UNAUTHORIZED


class Forbidden(MosaicError):
    status = HTTPStatus.FORBIDDEN


class PreconditionFailed(MosaicError):
    status = HTTPStatus.PRECONDITION_FAILED
    slug = "stale-representation"


class PreconditionRequired(MosaicError):
    status = HTTPStatus.PRECONDITION_REQUIRED
    slug = "if-match-required"


class ServiceUnavailable(MosaicError):
    status = HTTPStatus.SERVICE_UNAVAILABLE


class InvalidInput(MosaicError):
    """Input that failed schema validation: 400 for the query string or path, 422 for a body."""

    slug = "validation-error"

    def __init__(self, messages: Mapping[str, Any]) -> None:
        errors = list(_flatten(messages))
        body_locations = {"json", "form", "json_or_form", "files"}
        in_body = any(location in body_locations for location in messages)
        self.status = HTTPStatus.UNPROCESSABLE_ENTITY if in_body else HTTPStatus.BAD_REQUEST
        self.slug = "validation-error" if in_body else "invalid-parameter"
        names = ", ".join(e.get("pointer") or e.get("parameter") or "" for e in errors)
        super().__init__(f"The request has invalid fields: {names}.", errors=errors)


def _flatten(messages: Mapping[str, Any]) -> list[dict[str, str]]:
    """webargs' {location: {field: [msg]}} to RFC 9457 style [{pointer|parameter, detail}]."""
    found: list[dict[str, str]] = []
    for location, fields in messages.items():
        for path, detail in _walk(fields, ()):
            if location in {"json", "form", "json_or_form", "files"}:
                pointer = "#/" + "/".join(path) if path else "#"
                found.append({"pointer": pointer, "detail": detail})
            else:
                found.append({"parameter": ".".join(path) or location, "detail": detail})
    return found


def _walk(node: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(node, Mapping):
        pairs: list[tuple[tuple[str, ...], str]] = []
        for key, child in node.items():
            step = () if key == "_schema" else (str(key),)
            pairs.extend(_walk(child, path + step))
        return pairs
    if isinstance(node, list | tuple):
        return [pair for child in node for pair in _walk(child, path)]
    return [(path, str(node))]


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    slug: str | None = None,
    errors: FieldErrors | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build an `application/problem+json` response."""
    http_status = HTTPStatus(status)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug if slug else "about:blank",
        "title": title or http_status.phrase,
        "status": int(status),
        "detail": detail,
        "instance": request.path,
        "request_id": g.get("request_id"),
    }
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _from_mosaic_error(error: MosaicError) -> Response:
    return problem(error.status, error.detail, slug=error.slug, errors=error.errors)


def _from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    detail = error.description or HTTPStatus(status).description
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        limit = request.max_content_length  # a view may lower the app's MAX_CONTENT_LENGTH
        detail = f"The body is larger than the limit of {limit} bytes for this endpoint."
    return problem(status, detail, headers=headers)


def _from_integrity_error(error: IntegrityError) -> Response:
    log.info("integrity error turned into 409: %s", error.orig)
    return problem(409, "The change conflicts with the stored data.", slug="conflict")


def _from_transaction_conflict(error: Exception) -> Response:
    log.warning("transaction conflict left after retries: %s", error.__class__.__name__)
    return problem(
        409,
        "The change collided with a concurrent change and was rolled back; send it again.",
        slug="conflict",
    )


def _from_database_unavailable(error: Exception) -> Response:
    """Connection failures, timeouts, exhausted resources: 503. Never a conflict (409)."""
    if is_transaction_conflict(error):
        return _from_transaction_conflict(error)
    log.error("database unavailable: %s", error.__class__.__name__)
    return problem(
        503,
        "The database is unavailable right now; try again shortly.",
        headers={"Retry-After": "5"},
    )


def _from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem(500, "An unexpected error occurred; it has been logged with the request id.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(MosaicError, _from_mosaic_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(IntegrityError, _from_integrity_error)
    for unavailable in (OperationalError, PoolTimeout):
        app.register_error_handler(unavailable, _from_database_unavailable)
    app.register_error_handler(DBAPIError, _from_dbapi_error)
    app.register_error_handler(Exception, _from_unexpected)


def _from_dbapi_error(error: DBAPIError) -> Response:
    if is_transaction_conflict(error):
        return _from_transaction_conflict(error)
    if error.connection_invalidated:
        return _from_database_unavailable(error)
    return _from_unexpected(error)
