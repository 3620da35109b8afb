"""The hourly rollup that ingestion keeps: exact against the readings, rebuilt the same by
`flask sensors rollup`, and read for whole-hour buckets and for downsampling long windows."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from statistics import mean

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select

from mosaic.platform.wiring import service
from mosaic.sensors.domain.push import PushMessage
from mosaic.sensors.domain.series import Window
from mosaic.sensors.models import HourlyModel
from mosaic.sensors.queries.hourly import split
from mosaic.sensors.services.ingestion import IngestionService
from tests.support.sensors import PUSH, TOKEN, envelope, payload, sample_path

pytestmark = pytest.mark.e2e
SENSORS = "/api/v1/sensors"


def hourly_rows(connection: Connection, sensor_id: int) -> list[tuple]:
    statement = (
        select(
            HourlyModel.hour_at,
            HourlyModel.reading_count,
            HourlyModel.dwell_sum,
            HourlyModel.dwell_min,
            HourlyModel.min_at,
            HourlyModel.dwell_max,
            HourlyModel.max_at,
        )
        .where(HourlyModel.sensor_id == sensor_id)
        .order_by(HourlyModel.hour_at)
    )
    return [tuple(row) for row in connection.execute(statement)]


def sample_rows(sensor_id: int) -> list[tuple[datetime, float]]:
    with sample_path().open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["v0"]) == sensor_id]
    return sorted(
        (datetime.fromisoformat(r["Time"]).replace(tzinfo=UTC), float(r["v18"])) for r in rows
    )


@pytest.fixture
def seeded(app: Flask) -> Flask:
    assert app.test_cli_runner().invoke(args=["seed", "sensors"]).exit_code == 0
    return app


def test_the_rollup_holds_each_hours_figures(seeded: Flask, connection: Connection) -> None:
    readings = sample_rows(100013)
    by_hour: dict[datetime, list[tuple[datetime, float]]] = defaultdict(list)
    for moment, value in readings:
        by_hour[moment.replace(minute=0, second=0, microsecond=0)].append((moment, value))
    expected = []
    for hour, found in sorted(by_hour.items()):
        lowest = min(found, key=lambda r: (r[1], r[0]))
        highest = max(found, key=lambda r: (r[1], -r[0].timestamp()))
        total = sum(v for _, v in found)
        expected.append((hour, len(found), total, lowest[1], lowest[0], highest[1], highest[0]))
    rows = hourly_rows(connection, 100013)
    assert [(r[0], r[1], r[3], r[4], r[5], r[6]) for r in rows] == [
        (e[0], e[1], e[3], e[4], e[5], e[6]) for e in expected
    ]
    assert rows[0][2] == pytest.approx(expected[0][2])


def test_redeliveries_do_not_count_twice_in_the_rollup(
    seeded: Flask, connection: Connection
) -> None:
    before = hourly_rows(connection, 100013)
    assert "444 already-stored" in seeded.test_cli_runner().invoke(args=["seed", "sensors"]).output
    assert hourly_rows(connection, 100013) == before


def test_the_rebuild_gives_the_same_rollup(seeded: Flask, connection: Connection) -> None:
    kept = hourly_rows(connection, 100013), hourly_rows(connection, 100022)
    result = seeded.test_cli_runner().invoke(args=["sensors", "rollup"])
    assert result.exit_code == 0, result.output
    rebuilt = hourly_rows(connection, 100013), hourly_rows(connection, 100022)
    assert [r[:2] + r[3:] for r in rebuilt[0]] == [r[:2] + r[3:] for r in kept[0]]
    assert [r[:2] + r[3:] for r in rebuilt[1]] == [r[:2] + r[3:] for r in kept[1]]


def test_windows_split_into_whole_hours_and_edges() -> None:
    at = datetime(2022, 11, 8, tzinfo=UTC)
    hours, edges = split(Window(at + timedelta(minutes=30), at + timedelta(hours=3, minutes=5)))
    assert hours == Window(at + timedelta(hours=1), at + timedelta(hours=3))
    assert edges == [
        Window(at + timedelta(minutes=30), at + timedelta(hours=1)),
        Window(at + timedelta(hours=3), at + timedelta(hours=3, minutes=5)),
    ]
    assert split(Window(at, at + timedelta(minutes=59))) == (
        None,
        [Window(at, at + timedelta(minutes=59))],
    )
    assert split(Window(at, at + timedelta(hours=2))) == (Window(at, at + timedelta(hours=2)), [])


def test_whole_hour_buckets_from_the_rollup_match_the_readings(
    seeded: Flask, pusher: FlaskClient, client: FlaskClient
) -> None:
    extra = [("2022-11-08T05:10:00", 30.0), ("2022-11-08T05:20:00", 1.0)]  # a partial hour
    for index, (moment, value) in enumerate(extra):
        data = payload(dwell_time=value, Time=moment)
        assert (
            pusher.post(f"{PUSH}?token={TOKEN}", json=envelope(f"x{index}", data)).status_code
            == 204
        )
    window = "from=2022-11-08T03:30:00Z&to=2022-11-08T05:30:00Z"  # 04:00-05:00 whole, edges raw
    sample = [v for _, v in sample_rows(100013)]
    expected = {
        "avg": [None, mean(sample), 15.5],
        "min": [None, min(sample), 1.0],
        "max": [None, max(sample), 30.0],
        "count": [0, len(sample), 2],
    }
    for aggregate, values in expected.items():
        body = client.get(
            f"{SENSORS}/100013/readings?{window}&bucket=1h&agg={aggregate}"
        ).get_json()
        assert [p["t"] for p in body["points"]] == [
            "2022-11-08T03:00:00Z",
            "2022-11-08T04:00:00Z",
            "2022-11-08T05:00:00Z",
        ]
        assert [p["v"] for p in body["points"]] == pytest.approx(values), aggregate


def test_long_windows_downsample_from_the_rollup(
    app: Flask, pusher: FlaskClient, client: FlaskClient
) -> None:
    start, readings, messages = datetime(2022, 3, 1, tzinfo=UTC), {}, []
    for n in range(48 * 12):  # two days, a reading every 5 minutes
        moment = (start + timedelta(minutes=5 * n)).isoformat().replace("+00:00", "")
        readings[moment + "Z"] = float((n * 37) % 101) / 4
        document = envelope(
            f"long-{n}", payload(sensor_id=77, dwell_time=readings[moment + "Z"], Time=moment)
        )
        messages.append(PushMessage.from_envelope(document, body=b"{}"))
    with app.app_context():
        service(IngestionService).ingest_many(messages)
    window = "from=2022-03-01&to=2022-03-03&points=40"
    # push_app reads the rollup past 100 readings (SENSORS_ROLLUP_ABOVE); the shared app does not
    for answer in (
        pusher.get(f"{SENSORS}/77/readings?{window}"),
        client.get(f"{SENSORS}/77/readings?{window}"),
    ):
        points = {(p["t"], p["v"]) for p in answer.get_json()["points"]}
        assert len(points) == 40
        assert points <= set(readings.items())
        assert max(readings.values()) in {v for _, v in points}
        assert min(readings.values()) in {v for _, v in points}
