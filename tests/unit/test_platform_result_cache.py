"""ResultCache's fallback: Redis while it answers, this process's memory while it does not,
Redis again once it answers; a dead Redis tried once per interval, not on every request."""

from __future__ import annotations

from typing import Any

import pytest
from flask_caching.backends import SimpleCache

from mosaic.platform.cache import Breaker, ResultCache

pytestmark = pytest.mark.unit
RETRY_S = 1.5


class FlakyBackend:
    """A shared store that can be switched off; counts every attempt made on it."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.up = True
        self.attempts = 0

    def _attempt(self) -> None:
        self.attempts += 1
        if not self.up:
            raise ConnectionError("Connection refused")

    def get(self, key: str) -> Any:
        self._attempt()
        return self.values.get(key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        del timeout
        self._attempt()
        self.values[key] = value
        return True

    def delete(self, key: str) -> bool:
        self._attempt()
        return self.values.pop(key, None) is not None

    def clear(self) -> bool:
        self._attempt()
        self.values.clear()
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Counted:
    """A compute that says how often it ran."""

    def __init__(self, value: Any) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.value


@pytest.fixture(name="clock")
def _clock() -> Clock:
    return Clock()


@pytest.fixture(name="redis")
def _redis() -> FlakyBackend:
    return FlakyBackend()


@pytest.fixture(name="cache")
def _cache(redis: FlakyBackend, clock: Clock) -> ResultCache:
    breaker = Breaker(retry_after_s=RETRY_S, clock=clock)
    return ResultCache(redis, fallback=SimpleCache(threshold=10), breaker=breaker)


def test_results_go_to_the_shared_backend_while_it_answers(
    cache: ResultCache, redis: FlakyBackend
) -> None:
    compute = Counted({"total": "1.50"})
    assert cache.get_or_compute("k", compute) == {"total": "1.50"}
    assert cache.get_or_compute("k", compute) == {"total": "1.50"}
    assert compute.calls == 1
    assert redis.values == {"k": {"total": "1.50"}}
    assert cache.fallback is not None
    assert cache.fallback.get("k") is None


def test_a_failed_backend_gives_way_to_memory_and_is_left_alone_for_a_while(
    cache: ResultCache, redis: FlakyBackend, clock: Clock
) -> None:
    redis.up = False
    compute = Counted(42)
    assert cache.get_or_compute("k", compute) == 42  # the failed get, then the fallback
    assert cache.get_or_compute("k", compute) == 42
    assert cache.get_or_compute("k", compute) == 42
    assert compute.calls == 1  # kept in this process
    assert redis.attempts == 1  # one failure, then not tried within the interval
    clock.now += RETRY_S
    assert cache.get_or_compute("k", compute) == 42
    assert redis.attempts == 2  # one probe per interval while it stays down
    assert cache.get_or_compute("k", compute) == 42
    assert (redis.attempts, compute.calls) == (2, 1)


def test_the_backend_is_used_again_once_it_answers(
    cache: ResultCache, redis: FlakyBackend, clock: Clock
) -> None:
    redis.up = False
    cache.get_or_compute("during", Counted("a"))
    redis.up = True
    cache.get_or_compute("meanwhile", Counted("b"))  # within the interval: memory still
    assert redis.values == {}
    clock.now += RETRY_S
    compute = Counted("c")
    assert cache.get_or_compute("after", compute) == "c"
    assert redis.values == {"after": "c"}  # written to Redis again
    assert cache.fallback is not None
    assert cache.fallback.get("during") is None  # freed
    assert cache.get_or_compute("after", compute) == "c"
    assert compute.calls == 1


def test_shared_only_computes_while_the_backend_is_down_and_never_keeps_a_local_copy(
    cache: ResultCache, redis: FlakyBackend, clock: Clock
) -> None:
    sessions = cache.shared_only()
    redis.up = False
    cache.get_or_compute("revision-keyed", Counted(1))  # the shared breaker opens here
    state = Counted({"generation": 3})
    assert sessions.get_or_compute("auth:session:ana", state) == {"generation": 3}
    assert sessions.get_or_compute("auth:session:ana", state) == {"generation": 3}
    assert state.calls == 2  # read each time, never from a copy in this process
    assert redis.attempts == 1  # nor tried: the breaker is shared
    assert cache.fallback is not None
    assert cache.fallback.get("auth:session:ana") is None
    clock.now += RETRY_S
    redis.up = True
    sessions.get_or_compute("auth:session:ana", state)
    assert redis.values == {"auth:session:ana": {"generation": 3}}


def test_deletes_that_missed_the_backend_are_sent_when_it_answers_again(
    cache: ResultCache, redis: FlakyBackend, clock: Clock
) -> None:
    sessions = cache.shared_only()
    sessions.get_or_compute("auth:session:ana", Counted({"generation": 3}))
    redis.up = False
    sessions.delete("auth:session:ana")  # a logout while Redis is unreachable
    assert redis.values == {"auth:session:ana": {"generation": 3}}  # still there (partition)
    clock.now += RETRY_S
    redis.up = True
    fresh = Counted({"generation": 4})
    assert sessions.get_or_compute("auth:session:ana", fresh) == {"generation": 4}
    assert fresh.calls == 1  # the delete was sent before the stale state could be read


def test_without_a_fallback_every_result_is_computed_while_the_backend_is_down(
    redis: FlakyBackend, clock: Clock
) -> None:
    cache = ResultCache(redis, breaker=Breaker(retry_after_s=RETRY_S, clock=clock))
    redis.up = False
    compute = Counted(7)
    assert [cache.get_or_compute("k", compute) for _ in range(3)] == [7, 7, 7]
    assert (compute.calls, redis.attempts) == (3, 1)
