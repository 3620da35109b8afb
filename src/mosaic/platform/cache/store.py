"""The result cache: Redis when configured, in-process otherwise, never failing a request
(while Redis is away, results stay in the process's bounded memory and Redis is retried every
CACHE_RETRY_MS)."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
log = logging.getLogger("mosaic.cache")
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
