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

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, Protocol, TypeVar

from flask import Flask, Response, current_app, request
from flask_caching import Cache
from flask_caching.backends import SimpleCache

from mosaic.platform.errors import problem
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

T = TypeVar("T")
P = ParamSpec("P")
# Headers of a stored response that belong to one request, not to the representation.
PER_REQUEST_HEADERS = {"content-length", "date", "set-cookie"}
log = logging.getLogger("mosaic.cache")
CACHEABLE_METHODS = {"GET", "HEAD"}
LOCAL_ENTRIES = 2000  # the bound of an in-process cache (no Redis, or Redis down)
_FAILED = object()


class Backend(Protocol):
    """What ResultCache needs of a store: Flask-Caching's Cache, or a cachelib cache."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any: ...

    def delete(self, key: str) -> Any: ...

    def clear(self) -> Any: ...


class Breaker:
    """This process's view of the shared backend (Redis): tried while it answers; after a
    failure, left alone for `retry_after_s`, then tried by one caller, so a dead Redis costs one
    attempt per interval instead of a (socket timeout) per request. Deletes that could not reach
    it are kept to be sent once it answers again."""

    def __init__(
        self, *, retry_after_s: float = 1.5, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.retry_after_s, self._clock = retry_after_s, clock
        self.down = False
        self.unsent_deletes: set[str] = set()
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def should_try(self) -> bool:
        if not self.down:
            return True
        with self._lock:  # one caller per interval probes a backend that was down
            now = self._clock()
            if now < self._retry_at:
                return False
            self._retry_at = now + self.retry_after_s
            return True

    def failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            was_down, self.down = self.down, True
            self._retry_at = self._clock() + self.retry_after_s
        if not was_down:
            log.warning(
                "shared cache unavailable, using this process's memory",
                extra={"operation": operation, "error": repr(error)},
            )

    def answered(self) -> None:
        if self.down:
            self.down = False
            log.info("shared cache answers again")


class ResultCache:
    """get-or-compute over a shared backend (Redis) that never fails a request: while the
    backend fails, results go to `fallback`, this process's bounded memory (or, without one,
    are computed every time), and back to the backend once it answers. The in-process copy is
    safe for keys that name a data revision: a write makes them unreachable in every process."""

    def __init__(
        self,
        backend: Backend,
        *,
        fallback: Backend | None = None,
        breaker: Breaker | None = None,
    ) -> None:
        self.backend, self.fallback = backend, fallback
        self.breaker = breaker or Breaker()
        self._local_copies = False  # whether the fallback may hold anything

    def shared_only(self) -> ResultCache:
        """The same backend, without the fallback: for values that are not keyed by a revision
        (a per-user state), which a copy in one process could serve stale."""
        return ResultCache(self.backend, breaker=self.breaker)

    def get_or_compute(
        self, key: str, compute: Callable[[], T], *, timeout: int | None = None
    ) -> T:
        found = self._call("get", key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        self._call("set", key, value, timeout)
        return value

    def delete(self, key: str) -> None:
        if self.fallback is not None:
            self.fallback.delete(key)
        if self._call("delete", key, shared=True) is _FAILED:
            self.breaker.unsent_deletes.add(key)

    def clear(self) -> None:
        if self.fallback is not None:
            self.fallback.clear()
        self._call("clear", shared=True)

    def _call(self, operation: str, *args: Any, shared: bool = False) -> Any:
        """`operation` on the backend while it answers, else on the fallback (None without
        one; _FAILED when `shared` asks for the backend alone and it could not be reached)."""
        if self.breaker.should_try():
            try:
                if self.breaker.down:
                    self._send_unsent_deletes()  # before a stale value can be read
                result = getattr(self.backend, operation)(*args)
            except Exception as error:  # any failure of the backend: serve without it
                self.breaker.failed(operation, error)
            else:
                self.breaker.answered()
                if self._local_copies:  # not read any more: free them
                    self._forget_local_copies()
                return result
        if shared or self.fallback is None:
            return _FAILED if shared else None
        self._local_copies = True
        return getattr(self.fallback, operation)(*args)

    def _send_unsent_deletes(self) -> None:
        for key in list(self.breaker.unsent_deletes):
            self.backend.delete(key)
            self.breaker.unsent_deletes.discard(key)

    def _forget_local_copies(self) -> None:
        self._local_copies = False
        if self.fallback is not None:
            self.fallback.clear()

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
        settings |= {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": LOCAL_ENTRIES}
    backend = Cache(config=settings)
    backend.init_app(app, config=settings)
    app.after_request(_conditional_get)
    if not redis_url:
        return ResultCache(backend)
    local = SimpleCache(threshold=LOCAL_ENTRIES, default_timeout=settings["CACHE_DEFAULT_TIMEOUT"])
    breaker = Breaker(retry_after_s=app.config["CACHE_RETRY_MS"] / 1000)
    return ResultCache(backend, fallback=local, breaker=breaker)


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
