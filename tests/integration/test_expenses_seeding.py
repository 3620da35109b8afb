"""`flask seed expenses` on the real database: exact normalization, idempotence, and a file with
bad rows refused by line with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Connection, func, select

from mosaic.expenses.models import ExpenseModel
from tests.support.expenses import DATA, source_rows


@pytest.fixture
def data_dir(app: Flask) -> Iterator[Path]:
    before = app.config["SEED_DATA_DIR"]
    app.config["SEED_DATA_DIR"] = str(DATA)
    yield DATA
    app.config["SEED_DATA_DIR"] = before


def count(connection: Connection) -> int:
    return int(connection.scalar(select(func.count()).select_from(ExpenseModel)) or 0)


def test_the_seed_is_exact_and_idempotent(
    app: Flask, connection: Connection, data_dir: Path
) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "expenses"])
    assert first.exit_code == 0, first.output
    assert "149 inserted" in first.output
    total = connection.scalar(select(func.sum(ExpenseModel.amount)))
    assert total == sum(r.amount for r in source_rows())
    assert connection.scalar(
        select(ExpenseModel.amount).order_by(ExpenseModel.id).limit(1)
    ) == Decimal("1200.00")
    again = runner.invoke(args=["seed", "expenses"])
    assert "0 inserted, 149 already there" in again.output
    assert count(connection) == 149


def test_bad_rows_are_reported_by_line_and_nothing_is_written(
    app: Flask, connection: Connection, tmp_path: Path
) -> None:
    (tmp_path / "expanses.csv").write_text(
        "departments,project_name,amount,date,member_name\n"
        'IT,Gaama,"1,200.00€",10/2/2021,Sam\n'
        "IT,Gaama,-5.00€,10/2/2021,Sam\n"
        "IT,Gaama,5.00€,2/30/2021,Sam\n"
    )
    before = app.config["SEED_DATA_DIR"]
    app.config["SEED_DATA_DIR"] = str(tmp_path)
    try:
        result = app.test_cli_runner().invoke(args=["seed", "expenses"])
    finally:
        app.config["SEED_DATA_DIR"] = before
    assert result.exit_code != 0
    assert "expanses.csv:3:" in result.output
    assert "expanses.csv:4:" in result.output
    assert count(connection) == 0
