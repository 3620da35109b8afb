"""Whole read responses kept per data revision, and HTTP caching: strong ETags, 304 on a
matching If-None-Match, If-Match on reads."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from flask import Response, current_app, request

from mosaic.platform.cache.store import ResultCache
from mosaic.platform.errors import problem
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

P = ParamSpec("P")
# Headers of a stored response that belong to one request, not to the representation.
PER_REQUEST_HEADERS = {"content-length", "date", "set-cookie"}
CACHEABLE_METHODS = {"GET", "HEAD"}

StoredResponse = tuple[int, bytes, list[tuple[str, str]]]


def cached_response(
    namespace: str,
    revision: Callable[[], Revision],
    *,
    bypass: Callable[[], bool] = lambda: False,
) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Keep a read's response whole (status, body, headers) per data revision, URL and Accept.

    Put it outside the view's parsing: a hit skips parsing, the query and serialization. Only
    responses the view returned are kept (errors are raised), so a cached URL has passed
    validation before. The URL includes the host: links in a body are absolute. `bypass` says
    when not to cache (e.g. a streamed export).
    """

    def decorator(render: Callable[P, Response]) -> Callable[P, Response]:
        @wraps(render)
        def serve(*args: P.args, **kwargs: P.kwargs) -> Response:
            if bypass():
                return render(*args, **kwargs)
            accept = request.headers.get("Accept", "")
            key = ResultCache.key(namespace, revision().current(), request.url, accept)
            status, body, headers = service(ResultCache).get_or_compute(
                key, lambda: _stored(render(*args, **kwargs))
            )
            return current_app.response_class(body, status=status, headers=headers)

        return serve

    return decorator


def _stored(response: Response) -> StoredResponse:
    if response.status_code == 200 and not response.headers.get("ETag"):
        response.add_etag()
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in PER_REQUEST_HEADERS]
    return response.status_code, response.get_data(), headers


def conditional_get(response: Response) -> Response:
    """Strong ETag on successful reads, 304 on a matching If-None-Match."""
    if request.method not in CACHEABLE_METHODS or response.status_code != 200:
        return response
    if response.direct_passthrough or response.is_streamed:
        return response
    if not response.headers.get("ETag"):
        response.add_etag()
    response.headers.setdefault("Cache-Control", "no-cache")  # revalidate with the ETag
    if "If-Match" in request.headers:
        return _if_match_on_read(response)
    response.make_conditional(request)
    return response


def _if_match_on_read(response: Response) -> Response:
    """RFC 9110, 13.1.1 on a read: `*` or the current strong ETag lets it through; anything
    else is a 412 problem. (Werkzeug's make_conditional answers `*` with 412, and any 412 with
    the representation as its body.) Changed in place: the other hooks have run on it."""
    etag, weak = response.get_etag()
    if etag and not weak and request.if_match.contains(etag):
        return response
    refusal = problem(
        412,
        f'If-Match does not name the current representation; its ETag is "{etag}".',
        slug="stale-representation",
    )
    response.status_code = refusal.status_code
    response.set_data(refusal.get_data())
    response.headers["Content-Type"] = refusal.headers["Content-Type"]
    return response
