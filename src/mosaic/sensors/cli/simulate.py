"""flask --app mosaic sensors simulate: publish realistic readings as real push envelopes to a
running server, redelivering like Pub/Sub (non-2xx or no answer: retry with backoff; a share of
acknowledged messages delivered again), and count what happened."""

from __future__ import annotations

import base64
import http.client
import json
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import click
from flask import current_app

from mosaic.sensors.cli import commands

ACKNOWLEDGING = {102, 200, 201, 202, 204}  # what Pub/Sub takes as an acknowledgement
POISONS = ("bad-base64", "not-json", "missing-v18", "wrong-type", "bad-time")
MAX_ATTEMPTS, FIRST_BACKOFF_S = 5, 0.1


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, amount: int = 1) -> None:
        with self.lock:
            self.counts[name] += amount


def reading(rng: random.Random, sensor_id: int) -> dict[str, Any]:
    """A message as the sample's sensors send it, dwell time from a skewed distribution."""
    return {
        "serial": "000100000100",
        "application": 11,
        "Type": "xkgw",
        "device": "TestDevice",
        "Time": datetime.now(UTC).isoformat().replace("+00:00", ""),
        "v0": sensor_id,
        "v7": rng.randint(1, 99_999),
        "v16": sensor_id,
        "v18": round(rng.lognormvariate(2.0, 0.6), 2),
    }


def envelope(rng: random.Random, sensor_id: int, poison: str | None) -> dict[str, Any]:
    payload = reading(rng, sensor_id)
    if poison == "missing-v18":
        del payload["v18"]
    elif poison == "wrong-type":
        payload["v18"] = "fast"
    elif poison == "bad-time":
        payload["Time"] = "yesterday"
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    if poison == "bad-base64":
        data = "%%" + data
    elif poison == "not-json":
        data = base64.b64encode(b"v0=1;v18=2").decode()
    message_id = str(uuid.UUID(int=rng.getrandbits(128)))
    return {
        "message": {
            "data": data,
            "messageId": message_id,
            "publishTime": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        },
        "subscription": "projects/mosaic/subscriptions/simulate",
    }


class Publisher:
    """One thread's keep-alive connection, delivering like a push subscription."""

    def __init__(self, url: str, token: str | None, tally: Tally) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        query = urlencode({"token": token}) if token else ""
        self.path = parts.path + ("?" + query if query else "")
        self.tally = tally
        self.connection: http.client.HTTPConnection | None = None

    def post(self, body: bytes) -> int:
        for _ in (1, 2):  # a keep-alive connection the server closed: reconnect once
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
                self.connection.request(
                    "POST", self.path, body, {"Content-Type": "application/json"}
                )
                response = self.connection.getresponse()
                response.read()
                return response.status
            except (OSError, http.client.HTTPException):
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
        return 0

    def deliver(self, body: bytes) -> bool:
        """Until acknowledged, at most MAX_ATTEMPTS times with exponential backoff."""
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                self.tally.add("redelivered")
                time.sleep(FIRST_BACKOFF_S * 2 ** (attempt - 1))
            status = self.post(body)
            self.tally.add(f"status {status or 'no answer'}")
            if status in ACKNOWLEDGING:
                return True
        return False


def _worker(publisher: Publisher, plan: list[tuple[float, bytes, bool]], start: float) -> None:
    for due, body, duplicate in plan:
        time.sleep(max(0.0, start + due - time.monotonic()))
        publisher.tally.add("sent")
        acknowledged = publisher.deliver(body)
        publisher.tally.add("acknowledged" if acknowledged else "failed")
        if acknowledged and duplicate:  # at-least-once: the same message once more
            publisher.tally.add("redelivered")
            publisher.deliver(body)


@commands.command("simulate")
@click.option(
    "--url",
    required=True,
    help="The push endpoint, e.g. http://127.0.0.1:8000/api/v1/sensors/pubsub",
)
@click.option(
    "--sensors", "sensor_count", default=10, show_default=True, type=click.IntRange(1, 100_000)
)
@click.option(
    "--rate",
    default=100.0,
    show_default=True,
    type=click.FloatRange(0.1, 100_000),
    help="Messages per second.",
)
@click.option(
    "--duration",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 86_400),
    help="Seconds.",
)
@click.option(
    "--duplicates",
    default=0.05,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share delivered twice.",
)
@click.option(
    "--poison",
    default=0.01,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share that is poison.",
)
@click.option("--concurrency", default=16, show_default=True, type=click.IntRange(1, 512))
@click.option(
    "--token", default=None, help="Verification token (default PUBSUB_VERIFICATION_TOKEN)."
)
@click.option("--seed", default=11, show_default=True, type=int)
def simulate(
    *,
    url: str,
    sensor_count: int,
    rate: float,
    duration: float,
    duplicates: float,
    poison: float,
    concurrency: int,
    token: str | None,
    seed: int,
) -> None:
    """Publish readings of SENSORS sensors at RATE messages/s for DURATION seconds."""
    plan = Plan(sensor_count, rate=rate, duplicates=duplicates, poison=poison, seed=seed)
    token = token or current_app.config["PUBSUB_VERIFICATION_TOKEN"]
    tally, start = Tally(), time.monotonic()
    threads = [
        threading.Thread(target=_worker, args=(Publisher(url, token, tally), share, start))
        for share in plan.split(max(1, int(rate * duration)), concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _report(tally.counts, time.monotonic() - start)


@dataclass(frozen=True)
class Plan:
    sensor_count: int
    rate: float
    duplicates: float
    poison: float
    seed: int

    def split(self, total: int, workers: int) -> list[list[tuple[float, bytes, bool]]]:
        """Every message (when due, body, delivered twice?) dealt round-robin to the workers."""
        rng = random.Random(self.seed)  # noqa: S311 (test data, not secrets)
        shares: list[list[tuple[float, bytes, bool]]] = [[] for _ in range(workers)]
        for index in range(total):
            kind = rng.choice(POISONS) if rng.random() < self.poison else None
            sensor_id = 100_000 + rng.randrange(self.sensor_count)
            body = json.dumps(envelope(rng, sensor_id, kind)).encode()
            shares[index % workers].append(
                (index / self.rate, body, rng.random() < self.duplicates)
            )
        return shares


def _report(counts: Counter[str], elapsed: float) -> None:
    click.echo(
        f"sent {counts['sent']}, acknowledged {counts['acknowledged']}, "
        f"redelivered {counts['redelivered']}, failed {counts['failed']} "
        f"in {elapsed:.1f} s ({counts['sent'] / elapsed:.0f} messages/s)"
    )
    statuses = [
        (k.removeprefix("status "), v) for k, v in sorted(counts.items()) if k[:6] == "status"
    ]
    click.echo("statuses: " + ", ".join(f"{k}: {v}" for k, v in statuses))
