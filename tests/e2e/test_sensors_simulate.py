"""`flask sensors simulate` against a live gunicorn: real push envelopes with duplicates and
poison, every message acknowledged, and what it prints matches what the server stored."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import create_engine, func, select

from mosaic.sensors.models import QuarantineModel, ReadingModel
from tests.conftest import ROOT
from tests.e2e.conftest import BIN, LiveServer

pytestmark = pytest.mark.e2e
FIRST_SENSOR, SENSORS = 100_000, 3  # simulate's sensor ids: 100000 .. 100002


def _counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        readings = connection.scalar(
            select(func.count())
            .select_from(ReadingModel)
            .where(ReadingModel.sensor_id.between(FIRST_SENSOR, FIRST_SENSOR + SENSORS - 1))
        )
        kept = connection.scalar(select(func.count()).select_from(QuarantineModel))
    engine.dispose()
    return int(readings or 0), int(kept or 0)


def test_simulate_publishes_and_every_message_is_acknowledged(live_server: LiveServer) -> None:
    url = live_server.env["DATABASE_URL"]
    before = _counts(url)
    result = subprocess.run(
        [
            str(BIN / "flask"),
            "--app",
            "mosaic",
            "sensors",
            "simulate",
            "--url",
            f"{live_server.base_url}/api/v1/sensors/pubsub",
            "--sensors",
            str(SENSORS),
            "--rate",
            "60",
            "--duration",
            "2",
            "--duplicates",
            "0.2",
            "--poison",
            "0.1",
            "--concurrency",
            "4",
            "--seed",
            "7",
        ],
        env=live_server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = re.search(
        r"sent (\d+), acknowledged (\d+), redelivered (\d+), failed (\d+)", result.stdout
    )
    assert found, result.stdout
    sent, acknowledged, redelivered, failed = map(int, found.groups())
    assert (sent, acknowledged, failed) == (120, 120, 0)
    assert redelivered > 0  # the duplicates (every delivery answered 2xx: no retries needed)
    statuses = dict(re.findall(r"(\d+): (\d+)", result.stdout.split("statuses:")[1]))
    poison = int(statuses.get("202", 0))
    assert poison > 0
    assert int(statuses["204"]) + poison == sent + redelivered
    readings, kept = _counts(url)
    stored, quarantined = readings - before[0], kept - before[1]
    assert stored + quarantined == sent  # each message stored or quarantined, exactly once
    assert 0 < quarantined <= poison  # a poison message delivered twice is kept once
