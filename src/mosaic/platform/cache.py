"""One cache for expensive reads (Redis when configured, in-process otherwise), and HTTP caching.

The cache fails open: if Redis goes away, results are computed and the request still succeeds.

Read responses are cached whole (`cached_response`), keyed by the data's revision: a counter
each write bumps in its own transaction. Workers may each hold their own in-process cache while
a write happens in another process, so deleting keys could never reach every copy; a new
revision makes every old key unreachable instead.

Knowing the revision (`revisions.Revision`) costs nothing per request by default: each new value
is pushed to every worker (PostgreSQL LISTEN/NOTIFY, platform.revisions). When the push cannot
be trusted (its listener is down), the counter is read on every request (strict), as with
REVISION_PUSH off.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, current_app, request
from flask_caching import Cache

from mosaic.platform.errors import problem
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

T = TypeVar("T")
P = ParamSpec("P")
# Headers of a stored response that belong to one request, not to the representation.
PER_REQUEST_HEADERS = {"content-length", "date", "set-cookie"}
log = logging.getLogger("mosaic.cache")
CACHEABLE_METHODS = {"GET", "HEAD"}


class ResultCache:
    """get-or-compute over Flask-Caching; every failure of the backend is logged and ignored."""

    def __init__(self, backend: Cache) -> None:
        self.backend = backend

    def get_or_compute(
        self, key: str, compute: Callable[[], T], *, timeout: int | None = None
    ) -> T:
        try:
            found = self.backend.get(key)
        except Exception as error:
            log.warning("cache read failed, computing instead", extra={"error": repr(error)})
            return compute()
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        try:
            self.backend.set(key, value, timeout=timeout)
        except Exception as error:
            log.warning("cache write failed", extra={"error": repr(error)})
        return value

    def delete(self, key: str) -> None:
        try:
            self.backend.delete(key)
        except Exception as error:
            log.warning("cache delete failed", extra={"error": repr(error)})

    def clear(self) -> None:
        try:
            self.backend.clear()
        except Exception as error:
            log.warning("cache clear failed", extra={"error": repr(error)})

    @staticmethod
    def key(*parts: Any) -> str:
        """A short stable key from any parts (parameters already validated by a schema)."""
        return hashlib.sha256(repr(parts).encode()).hexdigest()


class Uncached:
    """The ResultCache interface without a cache: for values that must never be stale in any
    process, where there is no shared cache to invalidate (no Redis)."""

    def get_or_compute(
        self, key: str, compute: Callable[[], T], *, timeout: int | None = None
    ) -> T:
        del key, timeout  # nothing is kept
        return compute()

    def delete(self, key: str) -> None:
        """Nothing is kept, so nothing to forget."""


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


def init_cache(app: Flask) -> ResultCache:
    redis_url = app.config.get("REDIS_URL")
    settings: dict[str, Any] = {
        "CACHE_DEFAULT_TIMEOUT": app.config["CACHE_DEFAULT_TIMEOUT"],
        "CACHE_KEY_PREFIX": "mosaic:",
    }
    if redis_url:
        settings |= {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    else:
        settings |= {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    backend = Cache(config=settings)
    backend.init_app(app, config=settings)
    app.after_request(_conditional_get)
    return ResultCache(backend)


def _conditional_get(response: Response) -> Response:
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
