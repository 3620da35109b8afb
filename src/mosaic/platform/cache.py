"""One cache for expensive reads (Redis when configured, in-process otherwise), and HTTP caching.

The cache fails open: if Redis goes away, results are computed and the request still succeeds.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, request
from flask_caching import Cache

T = TypeVar("T")
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
    response.make_conditional(request)
    return response
