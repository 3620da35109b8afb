"""flask --app mosaic sensors ...: replay-quarantine, partitions, simulate; and `seed sensors`."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from mosaic.platform.partitions import MonthlyPartitions, month_start, months

sensors_cli = AppGroup("sensors", help="Sensor readings: quarantine, partitions, simulation.")
PARTITIONED = (
    MonthlyPartitions("sensor_reading", "observed_at"),
    MonthlyPartitions("sensor_message", "observed_at"),
)


@sensors_cli.command("replay-quarantine")
def replay_quarantine() -> None:
    """Ingest every quarantined message again (after a fix); stored ones leave the quarantine."""
    receipts = current_app.extensions["mosaic.sensors.ingestion"].replay_quarantine()
    for outcome in ("stored", "already-stored", "quarantined"):
        count = sum(1 for r in receipts if r.outcome == outcome)
        click.echo(f"{outcome}: {count}")


@sensors_cli.command("partitions")
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
    engine = current_app.extensions["mosaic.database"].engine
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
        current_app.extensions["mosaic.sensors.ingestion"].recount_sensors()
        click.echo("sensor summary recounted")


from mosaic.sensors.cli import seed as _seed  # noqa: E402,F401  # pylint: disable=wrong-import-position
from mosaic.sensors.cli import simulate as _simulate  # noqa: E402,F401  # pylint: disable=wrong-import-position
