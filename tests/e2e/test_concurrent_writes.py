"""Concurrent writes that collide are conflicts (409), not outages (503): batches with the same
numbers in opposite orders used to deadlock (SQLSTATE 40P01), which was answered 503 "database
unavailable" and logged at ERROR. Runs on the real, unpinned test database, two threads at once."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import Engine, delete
from sqlalchemy.exc import OperationalError

from mosaic.numbers.models import PhoneNumberModel
from tests.e2e.test_platform_errors import assert_problem
from tests.support.numbers import v1_body

pytestmark = pytest.mark.e2e
ROUNDS = 6
details: list[str] = []  # the losers' problem details, for the failure message
BATCH = 40


def batch(seed: int) -> list[dict[str, str]]:
    """BATCH distinct mobile numbers of Natal (+55 84 9xxxx-xxxx)."""
    draw = random.Random(seed)
    suffixes = draw.sample(range(10_000_000), BATCH)
    return [v1_body(f"+55 84 9{n // 10_000:04d}-{n % 10_000:04d}") for n in suffixes]


@pytest.fixture
def stored_values(engine: Engine) -> Iterator[list[str]]:
    """E.164 values written by the test, removed afterwards (the database is not rolled back)."""
    values: list[str] = []
    yield values
    with engine.begin() as connection:
        connection.execute(delete(PhoneNumberModel).where(PhoneNumberModel.value.in_(values)))


def race(app: Flask, headers: dict[str, str], bodies: list[list[dict[str, str]]]) -> list[int]:
    """Send each body as a batch from its own thread, all released at once."""
    start = threading.Barrier(len(bodies))
    details.clear()
    statuses: list[int] = []

    def send(body: list[dict[str, str]]) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(
            client.post("/api/v1/numbers/batch", json=body, headers=headers).status_code
        )

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_overlapping_batches_in_opposite_orders_are_409_not_503(
    make_app: Callable[..., Flask],
    auth_headers: Callable[..., dict[str, str]],
    stored_values: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = make_app(LOG_LEVEL="WARNING")
    editor = auth_headers("editor", "race-editor", on=app)
    for round_ in range(ROUNDS):
        items = batch(seed=round_ * 7919 + random.randrange(1_000_000))
        stored_values.extend(
            "+" + "".join(ch for ch in item["value"] if ch.isdigit()) for item in items
        )
        statuses = race(app, editor, [items, list(reversed(items))])
        assert sorted(statuses) == [201, 409], f"round {round_}: {statuses} {details}"
    logged = capsys.readouterr().out
    assert '"level": "ERROR"' not in logged


class DriverError(Exception):
    def __init__(self, pgcode: str | None) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


@pytest.mark.parametrize(("pgcode", "status"), [("40P01", 409), ("40001", 409), (None, 503)])
def test_a_conflict_left_after_retries_is_409_and_only_connection_failures_are_503(
    make_app: Callable[..., Flask],
    capsys: pytest.CaptureFixture[str],
    pgcode: str | None,
    status: int,
) -> None:
    app = make_app(LOG_LEVEL="WARNING")

    def collide() -> str:
        raise OperationalError("UPDATE ...", {}, DriverError(pgcode))

    app.add_url_rule("/collide", view_func=collide)
    response = app.test_client().get("/collide")
    assert_problem(response, status)
    logged = capsys.readouterr().out
    assert ('"level": "ERROR"' in logged) is (status == 503)  # no false outage alerts
