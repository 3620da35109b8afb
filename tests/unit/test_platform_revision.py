"""The data revision keying cached responses: strict by default, bounded staleness opt-in."""

from __future__ import annotations

from mosaic.platform.cache import Revision


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
