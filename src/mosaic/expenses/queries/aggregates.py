"""Aggregates of expenses: groups by dimensions (always with the currency), exact metrics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from mosaic.expenses.queries.columns import (
    COLUMNS,
    DIMENSIONS,
    EXPENSE,
    JOINED,
    AggregateQuery,
)
from mosaic.platform.pagination import order_by

AMOUNT = EXPENSE.c.amount


def metric_columns() -> dict[str, ColumnElement[Any]]:
    """Each metric over a group; `share` is the group's percent of its currency's total."""
    return {
        "sum": func.sum(AMOUNT),
        "count": func.count(),
        "avg": func.round(func.avg(AMOUNT), 2),
        "min": func.min(AMOUNT),
        "max": func.max(AMOUNT),
        "share": func.round(
            100
            * func.sum(AMOUNT)
            / func.sum(func.sum(AMOUNT)).over(partition_by=EXPENSE.c.currency),
            2,
        ),
    }


def aggregate(connection: Connection, query: AggregateQuery) -> list[dict[str, Any]]:
    metrics = metric_columns()
    groups = [DIMENSIONS[name].label(name) for name in query.by]
    selected = {name: metrics[name].label(name) for name in query.metrics}
    sortable: dict[str, ColumnElement[Any]] = {
        **{name: DIMENSIONS[name] for name in query.by},
        "currency": EXPENSE.c.currency,
        **{name: metrics[name] for name in query.metrics},
    }
    statement = (
        select(*groups, EXPENSE.c.currency.label("currency"), *selected.values())
        .select_from(JOINED)
        .where(*(f.condition(COLUMNS[f.name]) for f in query.filters))
        .group_by(*(DIMENSIONS[name] for name in query.by), EXPENSE.c.currency)
        .having(*(f.condition(metrics[f.name]) for f in query.having))
    )
    keys = list(query.sort) or []
    order = order_by(sortable, keys) + [DIMENSIONS[name].asc() for name in query.by]
    rows = connection.execute(statement.order_by(*order, EXPENSE.c.currency.asc())).all()
    return [dict(row._mapping) for row in rows]  # pylint: disable=protected-access
