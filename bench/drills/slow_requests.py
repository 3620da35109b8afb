"""Drills with slow requests (a table lock held by the drill makes reads of it wait):

    .venv/bin/python -m bench.drills.slow_requests

1. statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS=2000; a read stuck behind the lock is a 503
   problem with Retry-After within the timeout (+1 s), and the same workers then answer 200.
2. SIGTERM: IN_FLIGHT reads stuck behind the lock, gunicorn's master gets SIGTERM, the lock is
   released 3 s later: every in-flight read completes with a 200 (graceful_timeout is 20 s), and
   the master exits cleanly once they are done.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from typing import Any

from bench.drills.harness import Reply, call, deployment, report, table_locked, worker_pids

STATEMENT_TIMEOUT_MS = 2000
IN_FLIGHT = 6


def statement_timeout_drill(failures: list[str]) -> dict[str, Any]:
    with deployment(DATABASE_STATEMENT_TIMEOUT_MS=str(STATEMENT_TIMEOUT_MS)) as stack:
        port, process = stack.gunicorn.port, stack.gunicorn.process
        assert process is not None
        workers = worker_pids(process.pid)
        with table_locked(stack.postgres, "phone_number"):
            stuck = call(port, "GET", "/api/v1/numbers?per_page=13")
        after = [call(port, "GET", f"/api/v1/numbers?per_page={n}").status for n in range(20, 28)]
        unharmed = worker_pids(process.pid) == workers
    if not stuck.is_problem_503:
        failures.append(f"statement_timeout: {stuck.status} {stuck.body[:200]!r}")
    if stuck.elapsed > STATEMENT_TIMEOUT_MS / 1000 + 1:
        failures.append(f"statement_timeout: answered after {stuck.elapsed:.2f} s")
    if set(after) != {200} or not unharmed:
        failures.append(f"statement_timeout: afterwards {after}, same workers: {unharmed}")
    return {
        "statement_timeout_ms": STATEMENT_TIMEOUT_MS,
        "stuck_status": stuck.status,
        "stuck_retry_after": stuck.headers.get("Retry-After"),
        "stuck_answered_after_s": round(stuck.elapsed, 2),
        "statuses_afterwards": after,
        "same_worker_pids": unharmed,
    }


def sigterm_drill(failures: list[str]) -> dict[str, Any]:
    replies: list[Reply] = []
    with deployment() as stack:
        port, process = stack.gunicorn.port, stack.gunicorn.process
        assert process is not None
        with table_locked(stack.postgres, "phone_number"):
            threads = [
                threading.Thread(
                    target=lambda n=n: replies.append(
                        call(port, "GET", f"/api/v1/numbers?per_page={30 + n}")
                    )
                )
                for n in range(IN_FLIGHT)
            ]
            for thread in threads:
                thread.start()
            time.sleep(1)  # all of them waiting on the lock
            process.send_signal(signal.SIGTERM)
            terminated_at = time.monotonic()
            time.sleep(1)
            refused = call(port, "GET", "/health", timeout=2)
            released_at = time.monotonic()
        for thread in threads:
            thread.join(timeout=30)
        exit_code = process.wait(timeout=30)
        exited_after = time.monotonic() - terminated_at
    statuses = sorted(reply.status for reply in replies)
    if statuses != [200] * IN_FLIGHT:
        failures.append(f"sigterm: in-flight statuses {statuses}")
    if exit_code != 0:
        failures.append(f"sigterm: gunicorn exited with {exit_code}")
    return {
        "in_flight": IN_FLIGHT,
        "in_flight_statuses": statuses,
        "new_request_after_sigterm": refused.status
        or ("refused" if refused.elapsed < 1 else f"no answer in {refused.elapsed:.1f} s"),
        "lock_released_after_sigterm_s": round(released_at - terminated_at, 2),
        "in_flight_done_after_sigterm_s": round(
            max(r.started + r.elapsed for r in replies) - terminated_at, 2
        ),
        "master_exit_code": exit_code,
        "master_exited_after_s": round(exited_after, 2),
    }


def main() -> int:
    failures: list[str] = []
    figures = {
        "statement_timeout": statement_timeout_drill(failures),
        "sigterm": sigterm_drill(failures),
    }
    return report("slow_requests", figures, failures)


if __name__ == "__main__":
    sys.exit(main())
