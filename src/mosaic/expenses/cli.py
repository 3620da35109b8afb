"""expenses commands: `flask --app mosaic seed expenses` loads expanses.csv (idempotent)."""

from __future__ import annotations

import csv
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from mosaic.expenses.services import ExpenseImport
from mosaic.platform.datasets import DatasetRejected, read_rows
from mosaic.platform.wiring import service

EXPENSES_FILE = "expanses.csv"  # the source's spelling


@click.command("expenses")
@with_appcontext
def seed() -> None:
    """Load expanses.csv: every row validated first, then one transaction; rows stored skipped."""
    path = Path(current_app.config["SEED_DATA_DIR"]) / EXPENSES_FILE
    try:
        rows = read_rows(path)
    except (OSError, csv.Error, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {path}: {error}") from error
    with click.progressbar(length=len(rows), label="expenses") as progress_bar:
        try:
            report = service(ExpenseImport).load(
                rows, source=EXPENSES_FILE, progress=progress_bar.update
            )
        except DatasetRejected as rejected:
            raise click.ClickException(rejected.detail) from rejected
    click.echo(
        f"expenses: {report.inserted} inserted, {report.duplicates} already there, "
        f"{report.registers_created} departments/projects/members created"
    )
