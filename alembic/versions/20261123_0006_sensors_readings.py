"""sensors: monthly partitions of readings and messages, hourly rollup, summary, quarantine

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Months made here; `flask --app mosaic sensors partitions` adds the following ones.
FIRST_MONTH, LAST_MONTH = date(2022, 1, 1), date(2027, 12, 1)
PARTITIONED = ("sensor_reading", "sensor_message")


def _months() -> list[tuple[date, date]]:
    found, current = [], FIRST_MONTH
    while current <= LAST_MONTH:
        following = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        found.append((current, following))
        current = following
    return found


def _partitions(table: str) -> None:
    op.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
    for start, end in _months():
        op.execute(
            f"CREATE TABLE {table}_p{start.year:04d}_{start.month:02d} PARTITION OF {table} "
            f"FOR VALUES FROM ('{start.isoformat()} 00:00+00') TO ('{end.isoformat()} 00:00+00')"
        )


def upgrade() -> None:
    op.create_table(
        "sensor_reading",
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensor_id", sa.BigInteger(), nullable=False),
        sa.Column("dwell_time", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", "observed_at", name=op.f("pk_sensor_reading")),
        postgresql_partition_by="RANGE (observed_at)",
    )
    op.create_table(
        "sensor_message",
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensor_id", sa.BigInteger(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("serial", sa.Text(), nullable=True),
        sa.Column("application", sa.Integer(), nullable=True),
        sa.Column("device", sa.Text(), nullable=True),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("subscription", sa.Text(), nullable=True),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("message_id", "observed_at", name=op.f("pk_sensor_message")),
        postgresql_partition_by="RANGE (observed_at)",
    )
    for table in PARTITIONED:
        _partitions(table)
    op.create_index(
        "ix_sensor_reading_sensor_id_observed_at",
        "sensor_reading",
        ["sensor_id", "observed_at"],
        postgresql_include=["dwell_time"],
    )
    op.create_index(
        "ix_sensor_reading_observed_at_brin",
        "sensor_reading",
        ["observed_at"],
        postgresql_using="brin",
    )
    op.create_table(
        "sensor_reading_hourly",
        sa.Column("sensor_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hour_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reading_count", sa.BigInteger(), nullable=False),
        sa.Column("dwell_sum", sa.Double(), nullable=False),
        sa.Column("dwell_min", sa.Double(), nullable=False),
        sa.Column("min_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dwell_max", sa.Double(), nullable=False),
        sa.Column("max_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", "hour_at", name=op.f("pk_sensor_reading_hourly")),
    )
    op.create_table(
        "sensor",
        sa.Column("sensor_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reading_count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", name=op.f("pk_sensor")),
    )
    op.create_table(
        "sensor_quarantine",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensor_quarantine")),
        sa.UniqueConstraint("message_id", name=op.f("uq_sensor_quarantine_message_id")),
    )


def downgrade() -> None:
    op.drop_table("sensor_quarantine")
    op.drop_table("sensor")
    op.drop_table("sensor_reading_hourly")
    op.drop_table("sensor_message")  # drops its partitions too
    op.drop_table("sensor_reading")
