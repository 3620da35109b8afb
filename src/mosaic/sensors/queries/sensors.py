"""The sensors and their first and last observations, from the summary ingestion keeps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from mosaic.sensors.models import SensorModel

S = SensorModel


def list_sensors(connection: Connection) -> list[dict[str, Any]]:
    statement = select(
        S.sensor_id, S.first_observed_at, S.last_observed_at, S.reading_count
    ).order_by(S.sensor_id)
    return [dict(row) for row in connection.execute(statement).mappings()]


def last_observed_at(connection: Connection, sensor_id: int | None = None) -> datetime | None:
    """The latest observation of the sensor (of any sensor when None)."""
    if sensor_id is None:
        return connection.scalar(select(func.max(S.last_observed_at)))
    return connection.scalar(select(S.last_observed_at).where(S.sensor_id == sensor_id))


def exists(connection: Connection, sensor_id: int) -> bool:
    return connection.scalar(select(S.sensor_id).where(S.sensor_id == sensor_id)) is not None
