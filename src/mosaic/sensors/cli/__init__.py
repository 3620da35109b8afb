"""flask --app mosaic sensors ...: replay-quarantine, partitions, simulate; and `seed sensors`
(`seed`, which `flask seed all` runs)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from mosaic.platform.db import Database
from mosaic.platform.partitions import MonthlyPartitions, month_start, months
from mosaic.platform.wiring import service
from mosaic.sensors.services.ingestion import IngestionService

commands = AppGroup("sensors", help="Sensor readings: quarantine, partitions, simulation.")
PARTITIONED = (
    MonthlyPartitions("sensor_reading", "observed_at"),
    MonthlyPartitions("sensor_message", "observed_at"),
)


@commands.command("replay-quarantine")
def replay_quarantine() -> None:
    """Ingest every quarantined message again (after a fix); stored ones leave the quarantine."""
    receipts = service(IngestionService).replay_quarantine()
    for outcome in ("stored", "already-stored", "quarantined"):
        count = sum(1 for r in receipts if r.outcome == outcome)
        click.echo(f"{outcome}: {count}")


@commands.command("partitions")
@click.option(
    "--ahead",
    default=3,
    show_default=True,
    type=click.IntRange(0, 120),
    help="Months after this one to have partitions for.",
)
def maintain_partitions(ahead: int) -> None:
    """Add the monthly partitions of the coming months; drop those past SENSORS_RETENTION_MONTHS
    (0 keeps everything). Safe to run every night."""
    today = datetime.now(UTC).date()
    wanted = months(
        month_start(today.year, today.month), month_start(today.year, today.month + ahead)
    )
    retention = int(current_app.config["SENSORS_RETENTION_MONTHS"])
    engine = service(Database).engine
    with engine.begin() as connection:
        for table in PARTITIONED:
            have = set(table.existing(connection))
            for month in (m for m in wanted if m not in have):
                table.create(connection, month)
                click.echo(f"created {table.name(month)}")
            if retention:
                oldest = month_start(today.year, today.month - retention + 1)
                for month in table.drop_before(connection, oldest):
                    click.echo(f"dropped {table.name(month)}")
    if retention:
        oldest = month_start(today.year, today.month - retention + 1)
        service(IngestionService).recount_sensors(
            rollup_before=datetime(oldest.year, oldest.month, 1, tzinfo=UTC)
        )
        click.echo("sensor summary recounted, older hours of the rollup dropped")


@commands.command("rollup")
def rebuild_rollup() -> None:
    """Rebuild the sensor summary and the hourly rollup from the readings (after a bulk load
    that went around ingestion)."""
    service(IngestionService).rebuild_rollup()
    click.echo("sensor summary and hourly rollup rebuilt")


from mosaic.sensors.cli import simulate as _simulate  # noqa: E402,F401  # pylint: disable=wrong-import-position
from mosaic.sensors.cli.seed import seed  # noqa: E402  # pylint: disable=wrong-import-position

__all__ = ["commands", "seed"]
