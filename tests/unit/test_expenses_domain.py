"""Rules of expenses without a database: money, the source file's writing, the fiscal quarter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mosaic.expenses.domain import (
    Expense,
    InvalidExpense,
    fiscal_quarter,
    parse_localized_amount,
    parse_us_date,
    source_expense,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,200.00€", Decimal("1200.00")),
        ("800.00€", Decimal("800.00")),
        ("4.00€", Decimal("4.00")),
        ("12,345,678.90€", Decimal("12345678.90")),
    ],
)
def test_localized_amounts_are_exact(text: str, amount: Decimal) -> None:
    assert parse_localized_amount(text) == (amount, "EUR")


@pytest.mark.parametrize("text", ["", "€", "1,2,3€", "-5.00€", "0.00€", "1.234€", "1.2.3€", "abc"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidExpense):
        parse_localized_amount(text)


def test_us_dates_and_impossible_ones() -> None:
    assert parse_us_date("10/2/2021") == date(2021, 10, 2)
    with pytest.raises(InvalidExpense):
        parse_us_date("2/30/2021")


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2021, 1, 1), "2021-Q1"),
        (date(2021, 6, 30), "2021-Q2"),
        (date(2021, 12, 31), "2021-Q4"),
    ],
)
def test_fiscal_quarter(day: date, quarter: str) -> None:
    assert fiscal_quarter(day) == quarter


def test_an_expense_refuses_floats_and_unknown_currencies() -> None:
    base = {"department_id": 1, "project_id": 1, "member_id": 1, "spent_on": date(2021, 1, 1)}
    with pytest.raises(InvalidExpense):
        Expense(amount=12.5, **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidExpense):
        Expense(amount=Decimal("1.00"), currency="XYZ", **base)
    assert Expense(amount=Decimal("1.5"), **base).amount == Decimal("1.5")


def test_a_source_row() -> None:
    found = source_expense(
        {
            "departments": "IT",
            "project_name": "Gaama",
            "amount": "1,200.00€",
            "date": "10/2/2021",
            "member_name": "Sam",
        }
    )
    assert (found.department, found.amount, found.spent_on) == (
        "IT",
        Decimal("1200.00"),
        date(2021, 10, 2),
    )
