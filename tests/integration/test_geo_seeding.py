"""`seed geo` on the real database: idempotent, exact amounts, all or nothing, valid shapes."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Connection, delete, func, select

from mosaic.geo.domain import GeometryOptions
from mosaic.geo.models import (
    GeoRevisionModel,
    MonthlyTurnoverModel,
    PaystatModel,
    PostalCodeModel,
)
from mosaic.geo.queries.shapes import madrid_union
from mosaic.geo.queries.turnover import revision_statement
from tests.support.geo import DATA_DIR, GeoSource


def _counts(connection: Connection) -> tuple[int | None, int | None]:
    return (
        connection.scalar(select(func.count()).select_from(PostalCodeModel)),
        connection.scalar(select(func.count()).select_from(PaystatModel)),
    )


@pytest.fixture
def empty_geo(connection: Connection) -> Connection:
    """No geo rows inside this test's transaction (the session's seeded rows come back after)."""
    for model in (MonthlyTurnoverModel, PaystatModel, PostalCodeModel, GeoRevisionModel):
        connection.execute(delete(model))
    return connection


def test_seed_geo_twice_loads_the_files_once(
    app: Flask, empty_geo: Connection, geo_source: GeoSource
) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed", "geo"])
    after_first = _counts(empty_geo)
    second = runner.invoke(args=["seed", "geo"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert after_first == (len(geo_source.postal_codes), len(geo_source.paystats))
    assert _counts(empty_geo) == after_first
    assert empty_geo.scalar(revision_statement()) == 2
    exact = sum((Decimal(row["amount"]) for row in geo_source.paystats), Decimal(0))
    assert empty_geo.scalar(select(func.sum(PaystatModel.amount))) == exact
    assert empty_geo.scalar(select(func.sum(MonthlyTurnoverModel.turnover))) == exact


def test_a_bad_row_refuses_the_file_and_loads_nothing(
    app: Flask, empty_geo: Connection, tmp_path: Path
) -> None:
    shutil.copy(DATA_DIR / "postal_codes.csv", tmp_path / "postal_codes.csv")
    lines = (DATA_DIR / "paystats.csv").read_text(encoding="utf-8").splitlines()
    lines[41] = lines[41].replace(",F,", ",X,").replace(",M,", ",X,")
    (tmp_path / "paystats.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    app.config["SEED_DATA_DIR"] = str(tmp_path)
    try:
        result = app.test_cli_runner().invoke(args=["seed", "geo"])
    finally:
        app.config["SEED_DATA_DIR"] = str(DATA_DIR)

    assert result.exit_code == 1
    assert "paystats.csv:42: p_gender 'X' is not one of F, M" in result.output
    assert _counts(empty_geo) == (0, 0)


@pytest.mark.usefixtures("geo_seeded")
def test_the_union_of_madrid_is_one_valid_multipolygon(connection: Connection) -> None:
    geometry = madrid_union(connection, GeometryOptions(precision=6))
    assert geometry is not None
    stored = func.ST_GeomFromGeoJSON(geometry)

    valid, kind = connection.execute(
        select(func.ST_IsValid(stored), func.ST_GeometryType(stored))
    ).one()

    assert valid
    assert kind == "ST_MultiPolygon"
