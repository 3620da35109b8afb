"""Tables of the sensors context.

`sensor_reading` is the hot, narrow table the charts read; `sensor_message` keeps everything a
message carried (JSONB payload, identifying fields, attributes) out of that path. Both are
partitioned by month of `observed_at` (the migration makes the partitions, `flask sensors
partitions` adds and drops them); their key (message_id, observed_at) makes redeliveries no-ops,
since a redelivery carries the same data and so the same observed time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Double, Index, Integer, LargeBinary, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mosaic.platform.db import Base

PARTITIONED = {"postgresql_partition_by": "RANGE (observed_at)"}
TIMESTAMP = DateTime(timezone=True)


class ReadingModel(Base):
    __tablename__ = "sensor_reading"
    __table_args__ = (
        # Index-only scans for series and KPIs of one sensor: dwell time rides in the index.
        Index(
            "ix_sensor_reading_sensor_id_observed_at",
            "sensor_id",
            "observed_at",
            postgresql_include=["dwell_time"],
        ),
        # Tiny (a few pages per partition) and enough for windows across all sensors.
        Index("ix_sensor_reading_observed_at_brin", "observed_at", postgresql_using="brin"),
        PARTITIONED,
    )

    message_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    observed_at: Mapped[datetime] = mapped_column(TIMESTAMP, primary_key=True)
    sensor_id: Mapped[int] = mapped_column(BigInteger)
    dwell_time: Mapped[float] = mapped_column(Double)


class MessageModel(Base):
    __tablename__ = "sensor_message"
    __table_args__ = (PARTITIONED,)

    message_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    observed_at: Mapped[datetime] = mapped_column(TIMESTAMP, primary_key=True)
    sensor_id: Mapped[int] = mapped_column(BigInteger)
    published_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    received_at: Mapped[datetime] = mapped_column(TIMESTAMP, server_default=func.now())
    serial: Mapped[str | None] = mapped_column(Text)
    application: Mapped[int | None] = mapped_column(Integer)
    device: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(Text)
    subscription: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)


class HourlyModel(Base):
    """Per sensor and hour (UTC): count, sum, and the extremes with their times. Kept by
    ingestion in the reading's statement, so it is exact; long windows read it, not every row."""

    __tablename__ = "sensor_reading_hourly"

    sensor_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hour_at: Mapped[datetime] = mapped_column(TIMESTAMP, primary_key=True)
    reading_count: Mapped[int] = mapped_column(BigInteger)
    dwell_sum: Mapped[float] = mapped_column(Double)
    dwell_min: Mapped[float] = mapped_column(Double)
    min_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    dwell_max: Mapped[float] = mapped_column(Double)
    max_at: Mapped[datetime] = mapped_column(TIMESTAMP)


class SensorModel(Base):
    """One row per sensor, kept by ingestion: the sensor list never scans the readings."""

    __tablename__ = "sensor"

    sensor_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_observed_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    last_observed_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    reading_count: Mapped[int] = mapped_column(BigInteger)


class QuarantineModel(Base):
    """Poison messages, once per messageId, with the body as received (to replay it)."""

    __tablename__ = "sensor_quarantine"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    headers: Mapped[dict[str, str]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(TIMESTAMP, server_default=func.now())
