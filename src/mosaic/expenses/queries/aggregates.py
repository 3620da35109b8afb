"""Aggregates of expenses: groups by dimensions (always with the currency), exact metrics.

Grouped on the expense table alone (ids, truncated dates), then the few groups are joined to
their names and formatted: a million rows are never joined to the three registers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Numeric,
    Subquery,
    extract,
    func,
    select,
)

from mosaic.expenses.queries.columns import EXPENSE, NAMED, AggregateQuery, on_expense
from mosaic.platform.pagination import order_by

AMOUNT = EXPENSE.c.amount
# What a dimension groups by, on the expense table.
GROUPED: dict[str, ColumnElement[Any]] = {
    "department": EXPENSE.c.department_id,
    "project": EXPENSE.c.project_id,
    "member": EXPENSE.c.member_id,
    "date": EXPENSE.c.spent_on,
    "month": func.date_trunc("month", EXPENSE.c.spent_on),
    "quarter": func.date_trunc("quarter", EXPENSE.c.spent_on),
    "year": func.date_trunc("year", EXPENSE.c.spent_on),
}


def metric_columns() -> dict[str, ColumnElement[Any]]:
    """Each metric over a group; `share` is the group's percent of its currency's total."""
    return {
        "sum": func.sum(AMOUNT),
        "count": func.count(),
        "avg": func.round(func.avg(AMOUNT), 2),
        "min": func.min(AMOUNT),
        "max": func.max(AMOUNT),
        # Unbounded NUMERIC: a currency's total can pass NUMERIC(12,2), the amounts' type.
        "share": func.round(
            100
            * func.sum(AMOUNT, type_=Numeric())
            / func.sum(func.sum(AMOUNT), type_=Numeric()).over(partition_by=EXPENSE.c.currency),
            2,
        ),
    }


def _shown(name: str, groups: Subquery) -> ColumnElement[Any]:
    """A dimension as the API shows it: a register's name, a date, 2021-05, 2021-Q2, 2021."""
    column = groups.c[name]
    if name in NAMED:
        return NAMED[name].c.name
    shapes = {"month": "YYYY-MM", "quarter": 'YYYY-"Q"Q'}
    if name in shapes:
        return func.to_char(column, shapes[name])
    if name == "year":
        return extract("year", column).cast(EXPENSE.c.id.type)
    return column


def aggregate(connection: Connection, query: AggregateQuery) -> list[dict[str, Any]]:
    metrics = metric_columns()
    grouped = [GROUPED[name] for name in query.by]
    groups = (
        select(
            *(column.label(name) for name, column in zip(query.by, grouped, strict=True)),
            EXPENSE.c.currency.label("currency"),
            *(metrics[name].label(name) for name in query.metrics),
        )
        .where(*(on_expense(f) for f in query.filters))
        .group_by(*grouped, EXPENSE.c.currency)
        .having(*(f.condition(metrics[f.name]) for f in query.having))
        .subquery("groups")
    )
    shown = {name: _shown(name, groups).label(name) for name in query.by}
    source: Any = groups
    for name in query.by:
        if name in NAMED:
            table: FromClause = NAMED[name]
            source = source.join(table, table.c.id == groups.c[name])
    sortable = {
        **{name: _shown(name, groups) for name in query.by},
        "currency": groups.c.currency,
        **{name: groups.c[name] for name in query.metrics},
    }
    order = order_by(sortable, query.sort) + [sortable[name].asc() for name in query.by]
    statement = (
        select(*shown.values(), groups.c.currency, *(groups.c[name] for name in query.metrics))
        .select_from(source)
        .order_by(*order, groups.c.currency.asc())
    )
    rows = connection.execute(statement).all()
    return [dict(row._mapping) for row in rows]  # pylint: disable=protected-access
