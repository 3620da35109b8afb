"""Monthly partitions on a scratch database: `sensors partitions` adds the coming months (moving
rows that waited in DEFAULT) and drops those past the retention; readings land by month."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mosaic import create_app
from mosaic.platform.partitions import MonthlyPartitions, is_partition, months
from tests.conftest import app_config, migrate, recreate_database
from tests.support.sensors import PUSH, TOKEN, envelope, payload

pytestmark = pytest.mark.integration
READINGS = MonthlyPartitions("sensor_reading", "observed_at")


@pytest.fixture(scope="module")
def scratch_url(database_url: str) -> str:
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_partitions").render_as_string(hide_password=False)
    recreate_database(scratch)
    migrate(scratch)
    return scratch


def where(url: str, message_id: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.scalar(
            text("SELECT tableoid::regclass::text FROM sensor_reading WHERE message_id = :m"),
            {"m": message_id},
        )
    engine.dispose()
    return str(found)


def existing(url: str) -> list[date]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = READINGS.existing(connection)
    engine.dispose()
    return found


def test_names() -> None:
    assert READINGS.name(date(2022, 11, 1)) == "sensor_reading_p2022_11"
    assert is_partition("sensor_reading_p2022_11")
    assert is_partition("sensor_message_default")
    assert not is_partition("sensor_reading")
    assert months(date(2022, 11, 5), date(2023, 2, 1)) == [
        date(2022, 11, 1),
        date(2022, 12, 1),
        date(2023, 1, 1),
        date(2023, 2, 1),
    ]


def test_readings_land_in_their_month_and_maintenance_moves_waiting_rows(scratch_url: str) -> None:
    app: Flask = create_app(app_config(DATABASE_URL=scratch_url, PUBSUB_VERIFICATION_TOKEN=TOKEN))
    client = app.test_client()
    sample = envelope("in-2022", payload(Time="2022-11-08T04:00:00"))
    future_year = datetime.now(UTC).year + 6  # beyond what the migration made
    later = envelope("far-ahead", payload(Time=f"{future_year}-03-15T12:00:00"))
    assert client.post(f"{PUSH}?token={TOKEN}", json=sample).status_code == 204
    assert client.post(f"{PUSH}?token={TOKEN}", json=later).status_code == 204
    assert where(scratch_url, "in-2022") == "sensor_reading_p2022_11"
    assert where(scratch_url, "far-ahead") == "sensor_reading_default"

    result = app.test_cli_runner().invoke(args=["sensors", "partitions", "--ahead", "80"])
    assert result.exit_code == 0, result.output
    assert f"created sensor_reading_p{future_year}_03" in result.output
    assert where(scratch_url, "far-ahead") == f"sensor_reading_p{future_year}_03"
    again = app.test_cli_runner().invoke(args=["sensors", "partitions", "--ahead", "80"])
    assert "created" not in again.output  # idempotent


def test_retention_drops_old_months_and_recounts(scratch_url: str) -> None:
    app = create_app(
        app_config(
            DATABASE_URL=scratch_url, DATABASE_READ_URL=scratch_url, SENSORS_RETENTION_MONTHS=24
        )
    )
    result = app.test_cli_runner().invoke(args=["sensors", "partitions", "--ahead", "0"])
    assert result.exit_code == 0, result.output
    assert "dropped sensor_reading_p2022_11" in result.output
    today = datetime.now(UTC).date()
    assert min(existing(scratch_url)) > date(today.year - 2, today.month, 1)
    assert where(scratch_url, "in-2022") == "None"
    sensors = app.test_client().get("/api/v1/sensors").get_json()
    assert [s["reading_count"] for s in sensors] == [1]  # the far-ahead one is left
