"""expanses.csv read apart from the application (plain csv + Decimal), for expected figures."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask

from mosaic.expenses.services import ExpenseImport
from mosaic.platform.datasets import read_rows
from mosaic.platform.wiring import service

DATA = Path(
    os.environ.get("SEED_DATA_DIR") or Path(__file__).resolve().parents[3] / "shared" / "data"
)
SOURCE = DATA / "expanses.csv"


@dataclass(frozen=True)
class Row:
    department: str
    project: str
    member: str
    amount: Decimal
    day: date


def source_rows() -> list[Row]:
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        found = []
        for raw in csv.DictReader(handle):
            month, day, year = (int(part) for part in raw["date"].split("/"))
            found.append(
                Row(
                    department=raw["departments"],
                    project=raw["project_name"],
                    member=raw["member_name"],
                    amount=Decimal(raw["amount"].replace("€", "").replace(",", "")),
                    day=date(year, month, day),
                )
            )
    return found


def seed(app: Flask) -> None:
    """Load the file through the application's own import, in the test's transaction."""
    service(ExpenseImport, app).load(read_rows(SOURCE), source=SOURCE.name)
