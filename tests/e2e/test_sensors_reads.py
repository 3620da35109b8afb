"""Reads over the seeded sample: the KPIs (expected figures computed here from the CSV), the
series options, the caps, the quarantine list and its replay."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from statistics import mean

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert

from mosaic.sensors.models import QuarantineModel
from tests.e2e.sensors_support import quarantined, readings
from tests.support.sensors import PUSH, TOKEN, envelope, payload, sample_dwell_times, sample_path

pytestmark = pytest.mark.e2e
SENSORS = "/api/v1/sensors"
DAY = "from=2022-11-08&to=2022-11-09"


@pytest.fixture
def seeded(app: Flask, connection: Connection) -> Flask:
    result = app.test_cli_runner().invoke(args=["seed", "sensors"])
    assert result.exit_code == 0, result.output
    assert "444 stored" in result.output
    return app


def test_seeding_again_stores_nothing_new(seeded: Flask, connection: Connection) -> None:
    result = seeded.test_cli_runner().invoke(args=["seed", "sensors"])
    assert "444 already-stored" in result.output
    assert readings(connection) == 444


def test_the_sample_kpis_come_out_right(seeded: Flask, client: FlaskClient) -> None:
    expected = sample_dwell_times("2022-11-08")
    assert {k: round(mean(v), 6) for k, v in expected.items()} == {
        100013: 9.206277,
        100022: 10.772629,
    }  # the acceptance figures, as the CSV gives them
    body = client.get(f"{SENSORS}/kpis?{DAY}").get_json()
    for sensor in body["sensors"]:
        values = np.array(expected[sensor["sensor_id"]])
        assert sensor["count"] == len(values)
        assert round(sensor["mean"], 6) == round(float(values.mean()), 6)
        assert sensor["median"] == pytest.approx(float(np.percentile(values, 50)))
        assert sensor["p95"] == pytest.approx(float(np.percentile(values, 95)))
        assert sensor["max"] == float(values.max())
    everything = np.concatenate([np.array(v) for v in expected.values()])
    assert body["overall"]["count"] == len(everything) == 444
    assert body["overall"]["mean"] == pytest.approx(float(everything.mean()))
    assert body["previous"] == {"from": "2022-11-07T00:00:00Z", "to": "2022-11-08T00:00:00Z"}
    assert body["overall"]["previous"]["count"] == 0
    assert body["overall"]["change"]["mean"] is None


def test_kpis_of_one_sensor(seeded: Flask, client: FlaskClient) -> None:
    body = client.get(f"{SENSORS}/kpis?{DAY}&sensor_id=100022").get_json()
    assert [s["sensor_id"] for s in body["sensors"]] == [100022]
    assert round(body["overall"]["mean"], 6) == 10.772629
    assert client.get(f"{SENSORS}/kpis?{DAY}&sensor_id=5").status_code == 404


def test_kpis_compare_with_the_previous_period(pusher: FlaskClient, client: FlaskClient) -> None:
    for index, (day, value) in enumerate([("07", 2.0), ("07", 4.0), ("08", 6.0), ("08", 9.0)]):
        data = payload(sensor_id=7, dwell_time=value, Time=f"2022-11-{day}T10:00:0{index}")
        assert (
            pusher.post(f"{PUSH}?token={TOKEN}", json=envelope(f"k{index}", data)).status_code
            == 204
        )
    body = client.get(f"{SENSORS}/kpis?{DAY}").get_json()
    overall = body["overall"]
    assert (overall["count"], overall["mean"], overall["previous"]["mean"]) == (2, 7.5, 3.0)
    assert overall["change"]["mean"] == 1.5  # +150 %
    assert overall["change"]["count"] == 0.0


def test_the_sensor_list(seeded: Flask, client: FlaskClient) -> None:
    body = client.get(SENSORS).get_json()
    assert body == [
        {
            "sensor_id": 100013,
            "first_observed_at": "2022-11-08T04:00:04.317801Z",
            "last_observed_at": "2022-11-08T04:59:40.209532Z",
            "reading_count": 231,
        },
        {
            "sensor_id": 100022,
            "first_observed_at": "2022-11-08T04:00:47.677196Z",
            "last_observed_at": "2022-11-08T04:59:58.256543Z",
            "reading_count": 213,
        },
    ]


def sample_series(sensor_id: int) -> list[tuple[str, float]]:
    with sample_path().open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["v0"]) == sensor_id]
    return sorted((r["Time"] + "Z", float(r["v18"])) for r in rows)


def test_the_raw_series_is_every_reading_in_time_order(seeded: Flask, client: FlaskClient) -> None:
    body = client.get(f"{SENSORS}/100013/readings?{DAY}").get_json()
    assert (body["sensor_id"], body["unit"]) == (100013, "s")
    assert [(p["t"], p["v"]) for p in body["points"]] == sample_series(100013)


def test_the_default_window_ends_with_the_latest_reading(
    seeded: Flask, client: FlaskClient
) -> None:
    body = client.get(f"{SENSORS}/100022/readings").get_json()
    assert len(body["points"]) == 213
    assert body["to"] == "2022-11-08T04:59:58.256544Z"


def test_points_downsample_with_minmax_lttb(seeded: Flask, client: FlaskClient) -> None:
    raw = sample_series(100013)
    body = client.get(f"{SENSORS}/100013/readings?{DAY}&points=40").get_json()
    points = [(p["t"], p["v"]) for p in body["points"]]
    assert len(points) == 40
    assert set(points) <= set(raw)
    assert points == sorted(points)
    assert (points[0], points[-1]) == (raw[0], raw[-1])  # LTTB keeps both ends
    assert max(v for _, v in raw) in {v for _, v in points}  # and the peak
    few = client.get(f"{SENSORS}/100013/readings?{DAY}&points=500").get_json()
    assert len(few["points"]) == len(raw)  # fewer readings than points: all of them


def test_buckets_aggregate_and_show_gaps(seeded: Flask, client: FlaskClient) -> None:
    window = "from=2022-11-08T03:00:00Z&to=2022-11-08T05:00:00Z"
    body = client.get(f"{SENSORS}/100013/readings?{window}&bucket=30m&agg=avg").get_json()
    assert (body["bucket"], body["agg"]) == ("30m", "avg")
    raw = sample_series(100013)
    first_half = [v for t, v in raw if t < "2022-11-08T04:30"]
    second_half = [v for t, v in raw if t >= "2022-11-08T04:30"]
    assert [p["t"] for p in body["points"]] == [
        "2022-11-08T03:00:00Z",
        "2022-11-08T03:30:00Z",
        "2022-11-08T04:00:00Z",
        "2022-11-08T04:30:00Z",
    ]
    values = [p["v"] for p in body["points"]]
    assert values[:2] == [None, None]
    assert values[2:] == pytest.approx([mean(first_half), mean(second_half)])
    counts = client.get(f"{SENSORS}/100013/readings?{window}&bucket=30m&agg=count").get_json()
    assert [p["v"] for p in counts["points"]] == [0, 0, len(first_half), len(second_half)]
    p95 = client.get(f"{SENSORS}/100013/readings?{window}&bucket=1h&agg=p95").get_json()
    assert p95["points"][1]["v"] == pytest.approx(float(np.percentile([v for _, v in raw], 95)))


def test_csv_format(seeded: Flask, client: FlaskClient) -> None:
    response = client.get(f"{SENSORS}/100022/readings?{DAY}&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["t", "v"]
    assert [(t, float(v)) for t, v in rows[1:]] == sample_series(100022)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bucket=1h&points=10", "points"),
        ("bucket=1s", "bucket"),  # more buckets than SENSORS_MAX_POINTS (500 here)
        ("bucket=fortnight", "bucket"),
        ("agg=mode&bucket=1h", "agg"),
        ("points=2", "points"),
        ("points=501", "points"),
        ("from=2022-01-01&to=2022-11-09", "to"),  # more than SENSORS_MAX_WINDOW_DAYS (30)
        ("from=2022-11-09&to=2022-11-08", "from"),
        ("from=yesterday", "from"),
        ("format=xml", "format"),
    ],
)
def test_refused_series_requests_name_the_parameter(
    seeded: Flask, pusher: FlaskClient, query: str, parameter: str
) -> None:
    response = pusher.get(f"{SENSORS}/100013/readings?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert parameter in [e["parameter"] for e in response.get_json()["errors"]]


def test_a_raw_series_past_the_cap_is_refused(seeded: Flask, pusher: FlaskClient) -> None:
    pusher_app_cap = 500  # SENSORS_MAX_POINTS of push_app; the sample holds 231 for 100013
    response = pusher.get(f"{SENSORS}/100013/readings?{DAY}")
    assert response.status_code == 200
    assert len(response.get_json()["points"]) == 231 < pusher_app_cap


def test_an_unknown_sensor_is_a_404(seeded: Flask, client: FlaskClient) -> None:
    response = client.get(f"{SENSORS}/42/readings")
    assert response.status_code == 404
    assert response.get_json()["detail"] == "No readings from sensor 42."


Headers = Callable[[str], dict[str, str]]


def test_the_quarantine_is_for_admins(
    pusher: FlaskClient, client: FlaskClient, auth_headers: Headers
) -> None:
    assert (
        pusher.post(f"{PUSH}?token={TOKEN}", json=envelope("q1", raw_data="%%")).status_code == 202
    )
    assert client.get(f"{SENSORS}/quarantine").status_code == 401
    assert client.get(f"{SENSORS}/quarantine", headers=auth_headers("editor")).status_code == 403
    body = client.get(f"{SENSORS}/quarantine", headers=auth_headers("admin")).get_json()
    assert [(q["message_id"], q["kind"]) for q in body["items"]] == [("q1", "bad-base64")]
    assert json.loads(body["items"][0]["body"])["message"]["data"] == "%%"
    assert body["next_after_id"] is None


def test_replay_stores_what_a_fix_made_valid_and_keeps_the_rest(
    app: Flask, pusher: FlaskClient, connection: Connection
) -> None:
    assert (
        pusher.post(f"{PUSH}?token={TOKEN}", json=envelope("still-bad", raw_data="%%")).status_code
        == 202
    )
    # A message an earlier version quarantined (say, before a rule was relaxed): valid today.
    fixed = envelope("fixed-now")
    connection.execute(
        insert(QuarantineModel).values(
            message_id="fixed-now",
            kind="wrong-type",
            reason="an old rule",
            body=json.dumps(fixed).encode(),
            headers={},
            received_at=datetime(2022, 11, 8, tzinfo=UTC),
        )
    )
    result = app.test_cli_runner().invoke(args=["sensors", "replay-quarantine"])
    assert result.exit_code == 0, result.output
    assert "stored: 1" in result.output
    assert "quarantined: 1" in result.output
    assert (readings(connection, "fixed-now"), quarantined(connection, "fixed-now")) == (1, 0)
    assert quarantined(connection, "still-bad") == 1
    again = app.test_cli_runner().invoke(args=["sensors", "replay-quarantine"])
    assert "stored: 0" in again.output
    assert readings(connection) == 1
