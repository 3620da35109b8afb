"""How long a committed revision takes to reach another process's listener (LISTEN/NOTIFY).

    .venv/bin/python bench/revision_latency.py [--writes 500] [--pause-ms 5] [--counter expenses]

DATABASE_URL names a migrated database (the counter's one row is bumped: numbers' by default,
expenses' to leave a numbers benchmark's cache alone). A child process runs the platform's
RevisionChannel with a Revision following that counter, as a worker
does, and stamps each value its listener applies; the parent commits one bump at a time and
waits for the stamp. Latency: from the moment the parent's COMMIT returned to the moment the
child applied the value (CLOCK_MONOTONIC is one clock for every process on Linux). A read on
the child is strict from the moment the notification reaches its socket, which is earlier
still, so this is an upper bound of the unseen window. Prints the median, p90, p99 and max.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
from multiprocessing.queues import Queue
from typing import Any

from sqlalchemy import create_engine, select, update
from sqlalchemy.engine import make_url

from mosaic.expenses.models import ExpenseRevisionModel
from mosaic.numbers.models import PhoneNumberRevisionModel
from mosaic.platform.revisions import Revision, RevisionChannel

COUNTERS: dict[str, Any] = {"numbers": PhoneNumberRevisionModel, "expenses": ExpenseRevisionModel}


class StampedRevision(Revision):
    """A Revision that tells the parent when each pushed value arrived."""

    def __init__(self, stamps: Queue[Any]) -> None:
        super().__init__(lambda: 0)
        self.stamps = stamps

    def refresh(self) -> None:
        """Only notifications are timed here, not the listener's beats (reads of the counter)."""

    def pushed(self, value: int) -> int:
        arrived = time.monotonic()
        self.stamps.put((value, arrived))
        return super().pushed(value)


def listen(dsn: str, counter: str, stamps: Queue[Any], stop: Any) -> None:
    channel = RevisionChannel(dsn, name="mosaic-revisions-bench")
    revision = channel.follow(counter, StampedRevision(stamps))
    revision.current()  # starts the listener
    while not channel.trusted():
        time.sleep(0.01)
    stamps.put(("ready", time.monotonic()))
    stop.wait()
    channel.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--pause-ms", type=float, default=5.0)
    parser.add_argument("--counter", choices=sorted(COUNTERS), default="numbers")
    options = parser.parse_args()
    model = COUNTERS[options.counter]
    url = os.environ["DATABASE_URL"]
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    stamps: Queue[Any] = multiprocessing.Queue()
    stop = multiprocessing.Event()
    child = multiprocessing.Process(
        target=listen, args=(dsn, model.__tablename__, stamps, stop), daemon=True
    )
    child.start()
    assert stamps.get(timeout=30)[0] == "ready"
    engine = create_engine(url)
    latencies = []
    with engine.connect() as connection:
        for _ in range(options.writes):
            connection.execute(update(model).values(revision=model.revision + 1))
            value = connection.scalar(select(model.revision))
            connection.commit()
            committed = time.monotonic()
            while True:
                seen, arrived = stamps.get(timeout=10)
                if seen == value:
                    break
            latencies.append((arrived - committed) * 1000)
            time.sleep(options.pause_ms / 1000)
    stop.set()
    child.join(timeout=10)
    report(latencies)


def report(latencies: list[float]) -> None:
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    print(
        f"RESULT writes={len(ordered)} median_ms={statistics.median(ordered):.3f} "
        f"p90_ms={at(0.90):.3f} p99_ms={at(0.99):.3f} max_ms={ordered[-1]:.3f}"
    )


if __name__ == "__main__":
    main()
