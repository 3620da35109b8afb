"""geo commands: `flask --app mosaic seed geo` loads postal_codes.csv and paystats.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from mosaic.geo.services.seeding import PAYSTATS_FILE, POSTAL_CODES_FILE, GeoSeeding
from mosaic.platform.datasets import DatasetRejected, read_rows
from mosaic.platform.wiring import service


@click.command("geo")
@with_appcontext
def seed() -> None:
    """Load Madrid's postal codes and paystats (upsert by id; all or nothing)."""
    folder = Path(current_app.config["SEED_DATA_DIR"])
    try:
        postal_codes = read_rows(folder / POSTAL_CODES_FILE)
        paystats = read_rows(folder / PAYSTATS_FILE)
    except (OSError, csv.Error) as error:
        raise click.ClickException(f"cannot read the geo files in {folder}: {error}") from error
    seeding = service(GeoSeeding)
    with click.progressbar(length=len(postal_codes) + len(paystats), label="geo") as progress_bar:
        try:
            report = seeding.load(
                postal_codes=postal_codes, paystats=paystats, progress=progress_bar.update
            )
        except DatasetRejected as rejected:
            raise click.ClickException(rejected.detail) from rejected
    click.echo(
        f"geo: {report.postal_codes} postal codes, {report.paystats} paystats "
        f"(data revision {report.revision})"
    )
