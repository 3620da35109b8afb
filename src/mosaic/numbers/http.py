"""HTTP details shared by the v1 and v2 views: ETags, If-Match, Location, Link and totals.

The ETag is the entity's version (`"pn-42-v3"`), the same for the v1 and v2 representations:
ETags are scoped to a URI, and one tag per state lets a client move between versions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

import marshmallow as ma
from flask import Request, Response, current_app, jsonify, request

from mosaic.numbers.domain import PhoneNumber
from mosaic.numbers.listing import page_links
from mosaic.numbers.queries import NumberPage, NumberQuery, PhoneNumberCatalog
from mosaic.numbers.services import ANY_VERSION, PhoneNumberService
from mosaic.platform.cache import ResultCache
from mosaic.platform.errors import PreconditionRequired, RuleViolation
from mosaic.platform.wiring import service

P = ParamSpec("P")
BATCH_LIMIT = 1000


def numbers() -> PhoneNumberService:
    return service(PhoneNumberService)


def catalog() -> PhoneNumberCatalog:
    return service(PhoneNumberCatalog)


def with_ceiling(schema: type[ma.Schema], **options: Any) -> Callable[[Request], ma.Schema]:
    """A webargs schema factory handing the configured price ceiling to the body schema."""
    return lambda _request: schema(ceiling=numbers().ceiling, **options)  # type: ignore[call-arg]


def if_match() -> frozenset[str]:
    """The strong ETags of If-Match (`*` for any); 428 when the header is missing."""
    if "If-Match" not in request.headers:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last GET, so you do not overwrite a change "
            "you have not seen."
        )
    tags = request.if_match
    return frozenset({ANY_VERSION} if tags.star_tag else tags.as_set(include_weak=False))


def represent(
    body: Any, number: PhoneNumber, *, status: int = 200, location: str | None = None
) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.set_etag(number.etag)
    if location:
        response.headers["Location"] = location
    return response


def cached_page(view: str) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Keep a list response whole (body and headers) per inventory revision and query string.

    A hit skips parsing, the query and serialization; only valid queries (200s) are kept, so a
    cached query string has passed validation before.
    """

    def decorator(render: Callable[P, Response]) -> Callable[P, Response]:
        @wraps(render)
        def serve(*args: P.args, **kwargs: P.kwargs) -> Response:
            revision = catalog().revision()
            # Links are absolute: the host is part of what the page says.
            key = ResultCache.key("numbers-page", view, revision, request.url)
            body, headers = pages().get_or_compute(key, lambda: _frozen(render(*args, **kwargs)))
            return current_app.response_class(body, headers=headers, mimetype="application/json")

        return serve

    return decorator


def _frozen(response: Response) -> tuple[bytes, list[tuple[str, str]]]:
    response.add_etag()
    kept = ("ETag", "X-Total-Count", "Link")
    return response.get_data(), [(k, v) for k, v in response.headers.items() if k in kept]


def pages() -> ResultCache:
    return service(ResultCache)


def listed(body: Any, *, page: NumberPage, links: dict[str, str]) -> Response:
    response = jsonify(body)
    response.headers["X-Total-Count"] = str(page.total)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


def links_of(query: NumberQuery, page: NumberPage) -> dict[str, str]:
    return page_links(request.base_url, request.args.to_dict(flat=False), query=query, page=page)


def batch(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A batch holds 1 to BATCH_LIMIT numbers."""
    if not 1 <= len(items) <= BATCH_LIMIT:
        detail = f"Send between 1 and {BATCH_LIMIT} numbers in a batch."
        raise RuleViolation(detail, errors=[{"pointer": "#", "detail": detail}])
    return items
