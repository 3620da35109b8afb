"""The expenses use cases on a fake unit of work: rules, all-or-nothing batches, optimistic
locking and the import's report, with no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mosaic.expenses.domain import Register
from mosaic.expenses.services import (
    DepartmentService,
    ExpenseImport,
    ExpenseService,
    ImportRejected,
    StillReferenced,
)
from mosaic.platform.errors import PreconditionFailed, RuleViolation
from tests.fakes import FakeExpensesUnitOfWork

CSV_HEAD = {"departments": "IT", "project_name": "Gaama", "member_name": "Sam"}


@pytest.fixture
def uow() -> FakeExpensesUnitOfWork:
    fake = FakeExpensesUnitOfWork()
    for kind in ("department", "project", "member"):
        fake.registers(kind).add(Register(name=kind.title()))
    return fake


def expense(**changes: Any) -> dict[str, Any]:
    fields = {"department_id": 1, "project_id": 1, "member_id": 1, "amount": Decimal("12.34")}
    return {**fields, "spent_on": date(2021, 5, 1), **changes}


def test_a_created_expense_is_read_back_denormalized(uow: FakeExpensesUnitOfWork) -> None:
    changes: list[str] = []
    view = ExpenseService(lambda: uow, on_change=lambda: changes.append("x")).create(expense())
    assert (view.department, view.project, view.member) == ("Department", "Project", "Member")
    assert view.quarter == "2021-Q2"
    assert uow.committed
    assert uow.revision == 1
    assert changes == ["x"]


def test_a_batch_reports_every_bad_item_and_stores_nothing(uow: FakeExpensesUnitOfWork) -> None:
    items = [expense(), expense(amount=Decimal("-1")), expense(member_id=99), expense()]
    with pytest.raises(RuleViolation) as refused:
        ExpenseService(lambda: uow, on_change=lambda: None).create_many(items)
    assert [e["pointer"] for e in refused.value.errors or []] == ["#/1/amount", "#/2/member_id"]
    assert not uow.committed
    assert not uow.expenses.rows


def test_a_stale_version_is_refused(uow: FakeExpensesUnitOfWork) -> None:
    expenses = ExpenseService(lambda: uow, on_change=lambda: None)
    view = expenses.create(expense())
    expenses.update(view.id, {"description": "lunch"}, if_match={view.etag})
    with pytest.raises(PreconditionFailed):
        expenses.update(view.id, {"description": "dinner"}, if_match={view.etag})


def test_a_register_named_by_an_expense_cannot_be_deleted(uow: FakeExpensesUnitOfWork) -> None:
    ExpenseService(lambda: uow, on_change=lambda: None).create(expense())
    with pytest.raises(StillReferenced):
        DepartmentService(lambda: uow, on_change=lambda: None).delete(1, if_match={"*"})


def test_the_import_skips_stored_rows_and_creates_names(uow: FakeExpensesUnitOfWork) -> None:
    importer = ExpenseImport(lambda: uow, on_change=lambda: None)
    rows = [
        (2, {**CSV_HEAD, "amount": '"1,200.00€"'.strip('"'), "date": "10/2/2021"}),
        (3, {**CSV_HEAD, "amount": "800.00€", "date": "3/8/2021", "member_name": "George"}),
    ]
    first = importer.load(rows, source="test.csv")
    again = importer.load(rows, source="test.csv")
    assert (first.inserted, first.duplicates, first.registers_created) == (2, 0, 4)
    assert (again.inserted, again.duplicates) == (0, 2)


def test_the_import_refuses_a_file_with_a_bad_line(uow: FakeExpensesUnitOfWork) -> None:
    importer = ExpenseImport(lambda: uow, on_change=lambda: None)
    rows = [
        (2, {**CSV_HEAD, "amount": "5€", "date": "1/1/2021"}),
        (3, {**CSV_HEAD, "amount": "x", "date": "1/1/2021"}),
    ]
    with pytest.raises(ImportRejected) as refused:
        importer.load(rows, source="test.csv")
    assert refused.value.problems[0].startswith("test.csv:3:")
    assert not uow.committed
