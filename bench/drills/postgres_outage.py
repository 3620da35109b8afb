"""Drill: PostgreSQL crash-stopped for OUTAGE_SECONDS under a read/write load, then started.

    .venv/bin/python -m bench.drills.postgres_outage     (OUTAGE_SECONDS=10, AFTER_SECONDS=15)

The load: numbers read and written, expenses written, Pub/Sub pushes to the sensors endpoint.
Passes when: no 500 (nor any status but 2xx and 503) at any time; every 503 is a problem with
Retry-After; no error from 5 s after PostgreSQL is back; every number and expense write that got
a 2xx is stored; every push sent while the database was down got a 503, and once every push is
replayed afterwards (as Pub/Sub redelivers), each message is stored exactly once.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from typing import Any

from bench.drills.harness import Load, Reply, at, deployment, report
from bench.drills.writes import (
    expense_writer,
    push_writer,
    replay,
    stored_expenses,
    stored_per_message,
)

BEFORE_SECONDS = 5.0
OUTAGE_SECONDS = float(os.environ.get("OUTAGE_SECONDS", "10"))
AFTER_SECONDS = float(os.environ.get("AFTER_SECONDS", "15"))
GRACE_SECONDS = 5.0  # "no error 5 s after it is back"


def normalised(value: str) -> str:
    return value.replace(" ", "").replace("-", "")


def main() -> int:
    with deployment(seeds=("expenses", "sensors")) as stack:
        port, token = stack.gunicorn.port, stack.token()
        pusher, pushed = push_writer(port)
        also = (expense_writer(port, token, stack.postgres), pusher)
        load = Load(port, token, also=also, max_seconds=120)
        load.start()
        at(load.started, BEFORE_SECONDS)
        stop_at = time.monotonic()
        stack.postgres.stop("immediate")
        down_at = time.monotonic()  # every connection is gone from here on
        at(stop_at, OUTAGE_SECONDS)
        stack.postgres.start()
        back_at = time.monotonic()
        at(back_at, AFTER_SECONDS)
        load.stop()
        replayed = replay(port, pushed)
        numbers = {normalised(v) for v in stack.postgres.psql("SELECT value FROM phone_number")
                   .splitlines()}  # fmt: skip
        expenses = Counter(stored_expenses(stack.postgres))
        per_message = stored_per_message(stack.postgres)

    failures: list[str] = []
    figures = phases(load.replies, stop_at=stop_at, back_at=back_at, failures=failures)
    missing = [v for v in load.written("write") if normalised(v) not in numbers]
    if missing:
        failures.append(f"{len(missing)} acknowledged number writes are not stored: {missing[:5]}")
    lost = [d for d in load.written("expense") if expenses[d] != 1]
    if lost:
        failures.append(f"{len(lost)} acknowledged expenses not stored once: {lost[:5]}")
    figures |= {
        "writes_acknowledged": len(load.written("write")),
        "writes_acknowledged_and_stored": len(load.written("write")) - len(missing),
        "expenses_acknowledged": len(load.written("expense")),
        "expenses_acknowledged_and_stored_once": len(load.written("expense")) - len(lost),
        "expenses_stored_in_all": sum(expenses.values()),
    }
    figures |= pushes(load.replies, replayed, per_message, window=(down_at, back_at),
                      failures=failures)  # fmt: skip
    return report("postgres_outage", figures, failures[:20])


def phases(
    replies: list[tuple[str, Reply, str]], *, stop_at: float, back_at: float, failures: list[str]
) -> dict[str, Any]:
    """Statuses per phase; any status but 2xx or a 503 problem, or any error after the grace
    period, is a failure."""
    counted: dict[str, Counter[int]] = {"before": Counter(), "outage": Counter(),
                                        "recovering": Counter(), "after": Counter()}  # fmt: skip
    first_ok_after = None
    for _kind, reply, _value in replies:
        finished = reply.started + reply.elapsed
        phase = _phase(reply, stop_at=stop_at, back_at=back_at)
        counted[phase][reply.status] += 1
        ok = 200 <= reply.status < 300
        if reply.started >= back_at and ok:
            first_ok_after = min(first_ok_after or finished, finished)
        if (not ok and not reply.is_problem_503) or (phase == "after" and not ok):
            failures.append(f"{phase}: status {reply.status} {reply.body[:200]!r}")
    return {
        "outage_seconds": OUTAGE_SECONDS,
        "requests": len(replies),
        "statuses_by_phase": {name: dict(counter) for name, counter in counted.items()},
        "first_2xx_after_restart_s": round(first_ok_after - back_at, 2) if first_ok_after else None,
    }


def _phase(reply: Reply, *, stop_at: float, back_at: float) -> str:
    if reply.started + reply.elapsed < stop_at:
        return "before"
    if reply.started < back_at:
        return "outage"
    return "recovering" if reply.started < back_at + GRACE_SECONDS else "after"


def pushes(
    replies: list[tuple[str, Reply, str]],
    replayed: list[Reply],
    per_message: dict[str, int],
    *,
    window: tuple[float, float],
    failures: list[str],
) -> dict[str, Any]:
    """Pushes sent and answered while the database was down must all be 503; after the replay
    of every push, every message is stored exactly once."""
    sent = [(reply, message_id) for kind, reply, message_id in replies if kind == "push"]
    start, end = window
    down = Counter(
        reply.status
        for reply, _ in sent
        if start <= reply.started <= reply.started + reply.elapsed < end
    )
    if set(down) - {503}:
        failures.append(f"pushes during the outage were not all 503: {dict(down)}")
    replay_statuses = Counter(reply.status for reply in replayed)
    if set(replay_statuses) - {204}:
        failures.append(f"replayed pushes: {dict(replay_statuses)}")
    not_once = {m: per_message.get(m, 0) for _, m in sent if per_message.get(m, 0) != 1}
    if not_once:
        failures.append(
            f"{len(not_once)} messages not stored exactly once: {list(not_once.items())[:5]}"
        )
    return {
        "pushes_sent": len(sent),
        "pushes_statuses": dict(Counter(reply.status for reply, _ in sent)),
        "pushes_during_outage_statuses": dict(down),
        "replayed_statuses": dict(replay_statuses),
        "messages_stored_exactly_once": sum(1 for _, m in sent if per_message.get(m, 0) == 1),
        "readings_stored_for_drill_messages": sum(per_message.values()),
    }


if __name__ == "__main__":
    sys.exit(main())
