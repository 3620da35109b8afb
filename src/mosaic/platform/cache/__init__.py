"""One cache for expensive reads (Redis when configured, in-process otherwise), and HTTP caching.

The cache never fails a request: while Redis is away, results are kept in the process's own
bounded memory (revision-keyed, so never stale) and Redis is tried again every CACHE_RETRY_MS.

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

from typing import Any

from flask import Flask
from flask_caching import Cache
from flask_caching.backends import SimpleCache

from mosaic.platform.cache.responses import StoredResponse, cached_response, conditional_get
from mosaic.platform.cache.store import LOCAL_ENTRIES, Backend, Breaker, ResultCache, Uncached

__all__ = [
    "Backend",
    "Breaker",
    "ResultCache",
    "StoredResponse",
    "Uncached",
    "cached_response",
    "init_cache",
]


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
        settings |= {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": LOCAL_ENTRIES}
    backend = Cache(config=settings)
    backend.init_app(app, config=settings)
    app.after_request(conditional_get)
    if not redis_url:
        return ResultCache(backend)
    local = SimpleCache(threshold=LOCAL_ENTRIES, default_timeout=settings["CACHE_DEFAULT_TIMEOUT"])
    breaker = Breaker(retry_after_s=app.config["CACHE_RETRY_MS"] / 1000)
    return ResultCache(backend, fallback=local, breaker=breaker)
