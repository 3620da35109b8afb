"""Drill: Redis stopped for OUTAGE_SECONDS under a read load, then started again.

    .venv/bin/python -m bench.drills.redis_outage     (OUTAGE_SECONDS=10)

Passes when: every read is a 200 throughout; /health answers 200 with Redis "down" and status
"degraded" during the outage, "up"/"ok" after; the rate limiter falls back to the process
(failed logins still reach a 429: LOGIN_RATE_LIMIT, 5 per minute, counted per worker while
Redis is away) and, Redis back, the cache and the limiter write to it again; while
Redis is down the result cache keeps lists in each worker's memory: fewer than half the reads
during the outage compute their list (PostgreSQL logs every statement; a computed list is the
statements one uncached read makes).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter
from math import inf

from bench.drills.harness import Load, Postgres, at, call, deployment, report

BEFORE_SECONDS = 4.0
OUTAGE_SECONDS = float(os.environ.get("OUTAGE_SECONDS", "10"))
AFTER_SECONDS = 8.0
LIST = r"FROM phone_number(?!_)"  # the list's statements, not the revision's
LOGIN_ATTEMPTS = 12  # 5 per minute per address, counted per worker (2) without Redis: 11 at most


def health(port: int) -> tuple[int, str, str, str]:
    reply = call(port, "GET", "/health")
    body = reply.json() if reply.status in {200, 503} else {}
    checks = body.get("checks", {})
    return (
        reply.status,
        body.get("status", ""),
        checks.get("redis", {}).get("status", ""),
        checks.get("rate_limits", {}).get("storage", ""),
    )


def logins_until_refused(port: int, moment: str) -> int:
    """Failed logins (each naming another user, so only the per-address limit counts) until the
    first 429; 0 when none came in LOGIN_ATTEMPTS."""
    for attempt in range(1, LOGIN_ATTEMPTS + 1):
        body = {"username": f"nobody-{moment}-{attempt}", "password": "wrong password"}
        if call(port, "POST", "/api/v1/auth/token", body=body).status == 429:
            return attempt
    return 0


def statements_per_list(postgres: Postgres, port: int) -> int:
    """What one computed list costs in statements (a URL the load never reads)."""
    postgres.log_every_statement()
    before = len(postgres.logged(LIST))
    assert call(port, "GET", "/api/v1/numbers?per_page=7").status == 200
    return max(1, len(postgres.logged(LIST)) - before)


def main() -> int:
    failures: list[str] = []
    # Limits on (a generous one): the drill checks they survive the outage and return to Redis.
    with deployment(RATELIMIT_ENABLED="true", RATELIMIT_DEFAULT="100000 per minute") as stack:
        port = stack.gunicorn.port
        per_list = statements_per_list(stack.postgres, port)
        load = Load(port, stack.token(), readers=6, writers=0, max_seconds=60)
        load.start()
        at(load.started, BEFORE_SECONDS)
        keys_before = int(stack.redis.cli("dbsize") or 0)
        stack.redis.stop()
        stopped_at = time.monotonic()
        time.sleep(1)
        during = health(port)
        refused_during = logins_until_refused(port, "during")
        at(stopped_at, OUTAGE_SECONDS)
        stack.redis.start()  # empty: nosave
        back_at = time.monotonic()
        at(back_at, AFTER_SECONDS)
        after = health(port)
        refused_after = logins_until_refused(port, "after")
        keys_after = stack.redis.cli("keys", "*").splitlines()
        load.stop()
        offset = time.time() - time.monotonic()
        statements = [when - offset for when in stack.postgres.logged(LIST)]

    statuses = Counter(reply.status for _, reply, _ in load.replies)
    outage_statuses = Counter(
        reply.status for _, reply, _ in load.replies if stopped_at <= reply.started < back_at
    )
    if set(statuses) != {200}:
        failures.append(f"reads were not all 200: {dict(statuses)}")
    if during[:3] != (200, "degraded", "down") or not during[3].startswith("memory"):
        failures.append(f"/health during the outage: {during}")
    if after != (200, "ok", "up", "redis"):
        failures.append(f"/health after: {after}")
    if not refused_during or not refused_after:
        failures.append(f"failed logins never refused: {refused_during=}, {refused_after=}")
    if keys_before == 0:
        failures.append("nothing in Redis before the outage: is it used at all?")
    if not any("LIMITER" in key for key in keys_after):
        failures.append(f"the limiter did not return to Redis: {keys_after[:10]}")
    if not any(key.startswith("mosaic:") for key in keys_after):
        failures.append(f"the cache did not return to Redis: {keys_after[:10]}")

    def median_ms(first: float, last: float) -> float:
        times = [r.elapsed for _, r, _ in load.replies if first <= r.started < last]
        return round(statistics.median(times) * 1000, 1) if times else 0.0

    computed = {
        phase: {
            "reads": sum(1 for _, r, _ in load.replies if first <= r.started < last),
            "lists_computed": round(sum(1 for t in statements if first <= t < last) / per_list),
        }
        for phase, first, last in (("before", load.started, stopped_at),
                                   ("during", stopped_at, back_at), ("after", back_at, inf))
    }  # fmt: skip
    if computed["during"]["lists_computed"] * 2 >= computed["during"]["reads"]:
        failures.append(f"no in-process cache during the outage: {computed['during']}")

    figures = {
        "statements_per_computed_list": per_list,
        "reads_and_lists_computed": computed,
        "median_read_ms_before": median_ms(0, stopped_at),
        "median_read_ms_during": median_ms(stopped_at, back_at),
        "median_read_ms_after": median_ms(back_at + 1, inf),
        "outage_seconds": OUTAGE_SECONDS,
        "reads": len(load.replies),
        "statuses": dict(statuses),
        "statuses_during_outage": dict(outage_statuses),
        "health_during": during,
        "health_after": after,
        "failed_logins_until_429": {"during": refused_during, "after": refused_after},
        "redis_keys_before": keys_before,
        "redis_keys_after": len(keys_after),
    }
    return report("redis_outage", figures, failures)


if __name__ == "__main__":
    sys.exit(main())
