"""Drill: PostgreSQL crash-stopped for OUTAGE_SECONDS under a read/write load, then started.

    .venv/bin/python -m bench.drills.postgres_outage     (OUTAGE_SECONDS=10, AFTER_SECONDS=15)

Passes when: no 500 (nor any status but 2xx and 503) at any time; every 503 is a problem with
Retry-After; no error from 5 s after PostgreSQL is back; every write that got a 2xx is stored.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

from bench.drills.harness import Load, at, deployment, report

BEFORE_SECONDS = 5.0
OUTAGE_SECONDS = float(os.environ.get("OUTAGE_SECONDS", "10"))
AFTER_SECONDS = float(os.environ.get("AFTER_SECONDS", "15"))
GRACE_SECONDS = 5.0  # "no error 5 s after it is back"


def main() -> int:
    with deployment() as stack:
        load = Load(stack.gunicorn.port, stack.token(), max_seconds=120)
        load.start()
        at(load.started, BEFORE_SECONDS)
        stop_at = time.monotonic()
        stack.postgres.stop("immediate")
        at(stop_at, OUTAGE_SECONDS)
        stack.postgres.start()
        back_at = time.monotonic()
        at(back_at, AFTER_SECONDS)
        load.stop()

        acknowledged = [value for kind, reply, value in load.replies
                        if kind == "write" and 200 <= reply.status < 300]  # fmt: skip
        stored = set(stack.postgres.psql("SELECT value FROM phone_number").splitlines())
        normalised = {value.replace(" ", "").replace("-", "") for value in stored}
        missing = [v for v in acknowledged if v.replace(" ", "").replace("-", "") not in normalised]

    failures: list[str] = []
    phases: dict[str, Counter[int]] = {"before": Counter(), "outage": Counter(),
                                       "recovering": Counter(), "after": Counter()}  # fmt: skip
    first_ok_after = None
    for _kind, reply, _value in load.replies:
        finished = reply.started + reply.elapsed
        if finished < stop_at:
            phase = "before"
        elif reply.started < back_at:
            phase = "outage"
        elif reply.started < back_at + GRACE_SECONDS:
            phase = "recovering"
        else:
            phase = "after"
        phases[phase][reply.status] += 1
        if reply.started >= back_at and 200 <= reply.status < 300:
            first_ok_after = min(first_ok_after or finished, finished)
        ok = 200 <= reply.status < 300
        if not ok and not reply.is_problem_503:
            failures.append(f"{phase}: status {reply.status} {reply.body[:200]!r}")
        if phase == "after" and not ok:
            failures.append(f"after: status {reply.status} {reply.body[:200]!r}")
    if missing:
        failures.append(f"{len(missing)} acknowledged writes are not stored: {missing[:5]}")
    figures = {
        "outage_seconds": OUTAGE_SECONDS,
        "requests": len(load.replies),
        "statuses_by_phase": {name: dict(counter) for name, counter in phases.items()},
        "writes_acknowledged": len(acknowledged),
        "writes_acknowledged_and_stored": len(acknowledged) - len(missing),
        "first_2xx_after_restart_s": round(first_ok_after - back_at, 2) if first_ok_after else None,
    }
    return report("postgres_outage", figures, failures[:20])


if __name__ == "__main__":
    sys.exit(main())
