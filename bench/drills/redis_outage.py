"""Drill: Redis stopped for OUTAGE_SECONDS under a read load, then started again.

    .venv/bin/python -m bench.drills.redis_outage     (OUTAGE_SECONDS=10)

Passes when: every read is a 200 throughout; /health answers 200 with Redis "down" and status
"degraded" during the outage, "up"/"ok" after; the rate limiter falls back to the process
(its headers keep coming) and, Redis back, the cache and the limiter write to it again.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter

from bench.drills.harness import Load, at, call, deployment, report

BEFORE_SECONDS = 4.0
OUTAGE_SECONDS = float(os.environ.get("OUTAGE_SECONDS", "10"))
AFTER_SECONDS = 8.0


def health(port: int) -> tuple[int, str, str]:
    reply = call(port, "GET", "/health")
    body = reply.json() if reply.status in {200, 503} else {}
    return (
        reply.status,
        body.get("status", ""),
        body.get("checks", {}).get("redis", {}).get("status", ""),
    )


def limited_read(port: int) -> tuple[int, str]:
    reply = call(port, "GET", "/api/v1/numbers?per_page=5&page=1")
    return reply.status, reply.headers.get("X-RateLimit-Remaining", "")


def main() -> int:
    failures: list[str] = []
    # Limits on (a generous one): the drill checks they survive the outage and return to Redis.
    with deployment(RATELIMIT_ENABLED="true", RATELIMIT_DEFAULT="100000 per minute") as stack:
        port = stack.gunicorn.port
        load = Load(port, stack.token(), readers=6, writers=0, max_seconds=60)
        load.start()
        at(load.started, BEFORE_SECONDS)
        keys_before = int(stack.redis.cli("dbsize") or 0)
        stack.redis.stop()
        stopped_at = time.monotonic()
        time.sleep(1)
        during = health(port)
        limited_during = limited_read(port)
        at(stopped_at, OUTAGE_SECONDS)
        stack.redis.start()  # empty: nosave
        back_at = time.monotonic()
        at(back_at, AFTER_SECONDS)
        after = health(port)
        limited_after = limited_read(port)
        keys_after = stack.redis.cli("keys", "*").splitlines()
        load.stop()

    statuses = Counter(reply.status for _, reply, _ in load.replies)
    outage_statuses = Counter(
        reply.status for _, reply, _ in load.replies if stopped_at <= reply.started < back_at
    )
    if set(statuses) != {200}:
        failures.append(f"reads were not all 200: {dict(statuses)}")
    if during != (200, "degraded", "down"):
        failures.append(f"/health during the outage: {during}")
    if after != (200, "ok", "up"):
        failures.append(f"/health after: {after}")
    for moment, limited in (("during", limited_during), ("after", limited_after)):
        if limited[0] != 200 or not limited[1]:
            failures.append(f"limited read {moment} the outage: {limited}")
    if keys_before == 0:
        failures.append("nothing in Redis before the outage: is it used at all?")
    if not any("LIMITER" in key for key in keys_after):
        failures.append(f"the limiter did not return to Redis: {keys_after[:10]}")
    if not any(key.startswith("mosaic:") for key in keys_after):
        failures.append(f"the cache did not return to Redis: {keys_after[:10]}")

    def median_ms(first: float, last: float) -> float:
        times = [r.elapsed for _, r, _ in load.replies if first <= r.started < last]
        return round(statistics.median(times) * 1000, 1) if times else 0.0

    figures = {
        "median_read_ms_before": median_ms(0, stopped_at),
        "median_read_ms_during": median_ms(stopped_at, back_at),
        "median_read_ms_after": median_ms(back_at + 1, float("inf")),
        "outage_seconds": OUTAGE_SECONDS,
        "reads": len(load.replies),
        "statuses": dict(statuses),
        "statuses_during_outage": dict(outage_statuses),
        "health_during": during,
        "health_after": after,
        "redis_keys_before": keys_before,
        "redis_keys_after": len(keys_after),
    }
    return report("redis_outage", figures, failures)


if __name__ == "__main__":
    sys.exit(main())
