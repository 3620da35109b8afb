"""A data revision as a cached read knows it: pushed by a feed while the feed is trusted, read
from the database (strict, or of bounded staleness) otherwise."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class RevisionFeed(Protocol):
    """Pushes new values of a revision (platform.revisions.RevisionChannel)."""

    def trusted(self) -> bool:
        """Whether the values pushed so far are current, checked without a round trip."""


class Revision:
    """A data revision: pushed to this worker (LISTEN/NOTIFY), or read from the database.

    Fed by a `RevisionFeed` (push, the default): while the feed is trusted (its listener is
    connected, beat within its liveness bound, and holds nothing unapplied) the pushed value is
    served with no round trip. The bound: a write committed through any process is seen by a
    read that starts after its notification reached this worker (median 0.15 ms, p99 4 ms after
    the commit on a busy 2-core host: docs/performance.md), and in any case by a read that starts
    REVISION_PUSH_LIVENESS_MS (1 s) after the commit. A read never goes back to an older
    revision. While the feed is not trusted, reads are strict.

    Strict (no feed, or the feed not trusted): the counter is read on every call, or trusted
    for `staleness_s` seconds when set, which bounds how long a write made through *another*
    worker can go unseen. Either way this worker's own writes call `forget()`, so the next read
    reads the counter and they show at once.
    """

    def __init__(
        self,
        read: Callable[[], int],
        *,
        staleness_s: float = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read, self._staleness_s, self._clock = read, staleness_s, clock
        self._known: tuple[int, float] | None = None  # (revision, when it was read)
        self._feed: RevisionFeed | None = None
        self._pushed: int | None = None  # the newest value pushed or read while fed
        self._must_read = True  # the next fed read reads the counter (forgotten, resynced)
        self._generation = 0  # counts forget() and resync(): a read started before one is old
        self._lock = threading.Lock()

    def current(self) -> int:
        feed = self._feed
        if feed is not None and feed.trusted():
            pushed = self._pushed
            if pushed is not None and not self._must_read:
                return pushed
            return self._read_while_fed()
        now, known = self._clock(), self._known
        if known is None or now - known[1] >= self._staleness_s:
            known = self._known = (self._read(), now)
        return known[0]

    def forget(self) -> None:
        with self._lock:
            self._known, self._must_read = None, True
            self._generation += 1

    def _read_while_fed(self) -> int:
        generation = self._generation
        value = self._read()
        with self._lock:
            if self._generation == generation:  # no forget() or resync() since the read began
                self._must_read = False
        return self.pushed(value)

    def fed_by(self, feed: RevisionFeed) -> None:
        self._feed = feed
        self.resync()

    def pushed(self, value: int) -> int:
        """A value announced, or read, while fed: a later one never goes back to an older one."""
        with self._lock:
            if self._pushed is None or value > self._pushed:
                self._pushed = value
            return self._pushed

    def refresh(self) -> None:
        """Read the counter now (the feed's heartbeat): a notification lost on the way is
        made up for at the next beat."""
        self.pushed(self._read())

    def resync(self) -> None:
        """The feed may have missed announcements (it reconnected): read the counter once."""
        with self._lock:
            self._pushed, self._must_read = None, True
            self._generation += 1
