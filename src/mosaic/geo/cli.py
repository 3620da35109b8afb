"""geo commands: `flask --app mosaic seed geo` loads postal_codes.csv and paystats.csv."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from mosaic.geo.seeding import DatasetRejected, GeoSeeding, SourceRow
from mosaic.platform.wiring import service

POSTAL_CODES_FILE = "postal_codes.csv"
PAYSTATS_FILE = "paystats.csv"


def read_rows(path: Path) -> list[SourceRow]:
    """Every row with its line number in the file (the header is line 1)."""
    csv.field_size_limit(sys.maxsize)  # a postal code's hex EWKB runs past the 128 KiB default

    def rows() -> Iterator[SourceRow]:
        with path.open(newline="", encoding="utf-8") as source:
            reader = csv.DictReader(source)
            for row in reader:
                yield reader.line_num, row

    return list(rows())


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
