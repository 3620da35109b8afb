"""The read model's vocabulary: expenses joined to their names, and the columns by public name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Row, extract, func

from mosaic.expenses.domain import ExpenseView
from mosaic.expenses.models import DepartmentModel, ExpenseModel, MemberModel, ProjectModel
from mosaic.platform.pagination import PageRequest, SortKey
from mosaic.platform.querystring import Filter

EXPENSE = ExpenseModel.__table__
DEPARTMENT = DepartmentModel.__table__
PROJECT = ProjectModel.__table__
MEMBER = MemberModel.__table__
JOINED = (
    EXPENSE.join(DEPARTMENT, EXPENSE.c.department_id == DEPARTMENT.c.id)
    .join(PROJECT, EXPENSE.c.project_id == PROJECT.c.id)
    .join(MEMBER, EXPENSE.c.member_id == MEMBER.c.id)
)
# Every column of an ExpenseView, by its attribute name (what filters, sorts and cursors name).
COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": EXPENSE.c.id,
    "department_id": EXPENSE.c.department_id,
    "department": DEPARTMENT.c.name,
    "project_id": EXPENSE.c.project_id,
    "project": PROJECT.c.name,
    "member_id": EXPENSE.c.member_id,
    "member": MEMBER.c.name,
    "amount": EXPENSE.c.amount,
    "currency": EXPENSE.c.currency,
    "spent_on": EXPENSE.c.spent_on,
    "description": EXPENSE.c.description,
    "version": EXPENSE.c.version,
}
LABELED = [column.label(name) for name, column in COLUMNS.items()]
# Dimensions an aggregate groups by.
DIMENSIONS: dict[str, ColumnElement[Any]] = {
    "department": DEPARTMENT.c.name,
    "project": PROJECT.c.name,
    "member": MEMBER.c.name,
    "date": EXPENSE.c.spent_on,
    "month": func.to_char(EXPENSE.c.spent_on, "YYYY-MM"),
    "quarter": func.to_char(EXPENSE.c.spent_on, 'YYYY-"Q"Q'),
    "year": extract("year", EXPENSE.c.spent_on).cast(EXPENSE.c.id.type),
}
METRICS = ("sum", "count", "avg", "min", "max", "share")


@dataclass(frozen=True)
class ExpenseQuery:
    """What a list asks for: filters on COLUMNS, and the page."""

    filters: tuple[Filter, ...] = ()
    page: PageRequest = field(default_factory=PageRequest)


@dataclass(frozen=True)
class AggregateQuery:
    """Groups of the filtered expenses by `by` (and currency), with `metrics` per group."""

    by: tuple[str, ...] = ("department",)
    metrics: tuple[str, ...] = ("sum", "count")
    filters: tuple[Filter, ...] = ()
    having: tuple[Filter, ...] = ()
    sort: tuple[SortKey, ...] = ()


def view_of(row: Row[Any]) -> ExpenseView:
    return ExpenseView(**row._mapping)  # pylint: disable=protected-access
