"""Geo test support: expectations computed straight from the CSVs (csv + Decimal + shapely),
and a session fixture that seeds the real files into the test database once."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from shapely import wkb
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, delete
from sqlalchemy.orm import sessionmaker

from mosaic.config import from_environment
from mosaic.geo.models import (
    GeoRevisionModel,
    MonthlyTurnoverModel,
    PaystatModel,
    PostalCodeModel,
)
from mosaic.geo.repository import GeoUnitOfWork
from mosaic.geo.services.seeding import GeoSeeding
from mosaic.platform.datasets import SourceRow

DATA_DIR = Path(str(from_environment()["SEED_DATA_DIR"]))
if not (DATA_DIR / "paystats.csv").exists():
    DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"


def to_cents(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def read_csv(name: str) -> list[SourceRow]:
    csv.field_size_limit(sys.maxsize)
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        return [(reader.line_num, row) for row in reader]


@dataclass
class GeoSource:
    """The two CSVs, and sums over them computed independently of the application."""

    postal_codes: list[dict[str, str]]
    paystats: list[dict[str, str]]

    @cached_property
    def code_of(self) -> dict[str, str]:
        return {row["id"]: row["code"] for row in self.postal_codes}

    @cached_property
    def shapes(self) -> dict[str, BaseGeometry]:
        return {row["code"]: wkb.loads(row["the_geom"], hex=True) for row in self.postal_codes}

    def keys_of(self, row: dict[str, str]) -> dict[str, str]:
        return {
            "month": row["p_month"][:7],
            "gender": row["p_gender"],
            "age": row["p_age"],
            "postal_code": self.code_of[row["postal_code_id"]],
        }

    def rows(self, keep: Callable[[dict[str, str]], bool] = lambda keys: True) -> Iterator[Any]:
        for row in self.paystats:
            keys = self.keys_of(row)
            if keep(keys):
                yield keys, Decimal(row["amount"])

    def total(self, keep: Callable[[dict[str, str]], bool] = lambda keys: True) -> str:
        return to_cents(sum((amount for _, amount in self.rows(keep)), Decimal(0)))

    def grouped(
        self, by: Iterable[str], keep: Callable[[dict[str, str]], bool] = lambda keys: True
    ) -> dict[tuple[str, ...], str]:
        sums: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)
        for keys, amount in self.rows(keep):
            sums[tuple(keys[k] for k in by)] += amount
        return {group: to_cents(amount) for group, amount in sums.items()}


@pytest.fixture(scope="session", name="geo_source")
def geo_source_fixture() -> GeoSource:
    return GeoSource(
        postal_codes=[row for _, row in read_csv("postal_codes.csv")],
        paystats=[row for _, row in read_csv("paystats.csv")],
    )


@pytest.fixture(scope="session", name="geo_seeded")
def geo_seeded_fixture(engine: Engine) -> Iterator[None]:
    """The real CSVs, committed once for the session (per-test transactions roll back on top)."""
    seeding = GeoSeeding(lambda: GeoUnitOfWork(sessionmaker(engine)))
    seeding.load(postal_codes=read_csv("postal_codes.csv"), paystats=read_csv("paystats.csv"))
    yield
    with engine.begin() as connection:
        for model in (MonthlyTurnoverModel, PaystatModel, PostalCodeModel, GeoRevisionModel):
            connection.execute(delete(model))
