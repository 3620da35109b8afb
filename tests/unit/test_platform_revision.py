"""The data revision keying cached responses: pushed while its feed is trusted, strict (or of
bounded staleness, opt-in) otherwise; the listener's liveness on a fake clock."""

from __future__ import annotations

import pytest

from mosaic.platform.revisions import Liveness, Revision


class Source:
    def __init__(self) -> None:
        self.revision, self.reads = 1, 0

    def read(self) -> int:
        self.reads += 1
        return self.revision


def test_strict_mode_reads_on_every_call() -> None:
    source = Source()
    revisions = Revision(source.read, staleness_s=0, clock=lambda: 5.0)
    assert [revisions.current() for _ in range(3)] == [1, 1, 1]
    source.revision = 2
    assert revisions.current() == 2
    assert source.reads == 4


def test_bounded_staleness_trusts_the_revision_for_the_window_only() -> None:
    source, now = Source(), [10.0]
    revisions = Revision(source.read, staleness_s=1.0, clock=lambda: now[0])
    assert revisions.current() == 1
    source.revision = 2  # a write through another worker
    now[0] = 10.9
    assert revisions.current() == 1  # inside the window: not read again
    now[0] = 11.0
    assert revisions.current() == 2  # the window is over
    assert source.reads == 2


def test_forget_shows_this_workers_own_write_at_once() -> None:
    source = Source()
    revisions = Revision(source.read, staleness_s=60.0, clock=lambda: 0.0)
    assert revisions.current() == 1
    source.revision = 2
    revisions.forget()
    assert revisions.current() == 2


class Feed:
    """A RevisionFeed whose trust the test sets (the real one is a listener's health)."""

    def __init__(self) -> None:
        self.healthy = True

    def trusted(self) -> bool:
        return self.healthy


def fed(source: Source, **options: float) -> tuple[Revision, Feed]:
    revision, feed = Revision(source.read, clock=lambda: 0.0, **options), Feed()
    revision.fed_by(feed)
    return revision, feed


def test_a_fed_revision_reads_once_then_serves_pushed_values() -> None:
    source = Source()
    revision, _ = fed(source)
    assert [revision.current() for _ in range(3)] == [1, 1, 1]
    assert source.reads == 1
    revision.pushed(2)
    source.revision = 2
    assert revision.current() == 2
    assert source.reads == 1


def test_a_pushed_value_never_goes_back() -> None:
    source = Source()
    source.revision = 5
    revision, _ = fed(source)
    assert revision.current() == 5
    revision.pushed(4)  # announced before the read that found 5, applied after it
    assert revision.current() == 5
    revision.pushed(6)
    assert revision.current() == 6


def test_an_untrusted_feed_makes_every_read_strict() -> None:
    source = Source()
    revision, feed = fed(source)
    assert revision.current() == 1
    feed.healthy = False
    source.revision = 2  # a write whose announcement never came
    assert [revision.current() for _ in range(2)] == [2, 2]
    assert source.reads == 3


def test_an_untrusted_feed_keeps_the_configured_staleness() -> None:
    source = Source()
    revision, feed = fed(source, staleness_s=60.0)
    feed.healthy = False
    assert revision.current() == 1
    source.revision = 2
    assert revision.current() == 1  # inside the window, as without push
    assert source.reads == 1


def test_forget_reads_once_even_while_fed() -> None:
    source = Source()
    revision, _ = fed(source)
    assert revision.current() == 1
    source.revision = 2  # this worker's own write; its announcement is still on the way
    revision.forget()
    assert [revision.current() for _ in range(2)] == [2, 2]
    assert source.reads == 2


def test_resync_reads_once_and_may_go_back_after_a_reconnection() -> None:
    source = Source()
    source.revision = 9
    revision, _ = fed(source)
    assert revision.current() == 9
    source.revision = 3  # the counter was reset while the listener was away
    revision.resync()
    assert revision.current() == 3
    assert source.reads == 2


def test_liveness_is_fresh_for_its_bound_after_each_proof() -> None:
    now = [100.0]
    liveness = Liveness(1.0, clock=lambda: now[0])
    assert not liveness.fresh()  # never proved
    liveness.proved()
    now[0] = 101.0
    assert liveness.fresh()
    now[0] = 101.01
    assert not liveness.fresh()  # the heartbeat is late: the listener may be gone
    liveness.proved(at=100.5)  # a beat that began earlier counts from when it began
    assert liveness.fresh()
    now[0] = 101.6
    assert not liveness.fresh()
    liveness.lost()
    assert not liveness.fresh()


def test_refresh_reads_the_counter_and_never_goes_back() -> None:
    source = Source()
    revision, _ = fed(source)
    assert revision.current() == 1
    source.revision = 3  # a write whose notification was lost
    revision.refresh()  # the listener's beat
    assert revision.current() == 3
    source.revision = 2  # a read that raced an older snapshot
    revision.refresh()
    assert revision.current() == 3


def test_a_forget_during_a_read_makes_the_next_read_read_again() -> None:
    source, racing, fed_revision = Source(), [False], []

    def read() -> int:
        snapshot = source.read()
        if racing.pop() if racing else False:
            source.revision = 2  # this worker's write commits while the read is on its way
            fed_revision[0].forget()
        return snapshot

    revision = Revision(read, clock=lambda: 0.0)
    revision.fed_by(Feed())
    fed_revision.append(revision)
    assert revision.current() == 1
    revision.forget()
    racing[:] = [True]
    assert revision.current() == 1  # the read began before the write
    assert revision.current() == 2  # so the forget() it raced still holds


def test_a_failed_read_leaves_the_next_read_to_read() -> None:
    source, failing = Source(), [False]

    def read() -> int:
        if failing.pop() if failing else False:
            raise ConnectionError("the database went away")
        return source.read()

    revision = Revision(read, clock=lambda: 0.0)
    revision.fed_by(Feed())
    assert revision.current() == 1
    source.revision = 2  # this worker's write
    revision.forget()
    failing[:] = [True]
    with pytest.raises(ConnectionError):
        revision.current()
    assert revision.current() == 2  # not the 1 pushed before the write
