"""The read model's vocabulary: expenses joined to their names, and the columns by public name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Row, select

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
NAMED: dict[str, FromClause] = {"department": DEPARTMENT, "project": PROJECT, "member": MEMBER}
DIMENSIONS = ("department", "project", "member", "date", "month", "quarter", "year")
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


def on_expense(found: Filter) -> ColumnElement[bool]:
    """A filter as a condition on the expense table alone: a name becomes an id subquery, so
    counts and aggregates scan one table instead of joining a million rows to three."""
    if found.name in NAMED:
        table = NAMED[found.name]
        names = select(table.c.id).where(found.condition(table.c.name))
        return EXPENSE.c[f"{found.name}_id"].in_(names)
    return found.condition(COLUMNS[found.name])


def view_of(row: Row[Any]) -> ExpenseView:
    return ExpenseView(**row._mapping)  # pylint: disable=protected-access
