"""The read side of expenses (CQRS): Core selects returning plain data, never ORM objects."""

from mosaic.expenses.queries.columns import (
    COLUMNS,
    DIMENSIONS,
    METRICS,
    AggregateQuery,
    ExpenseQuery,
)
from mosaic.expenses.queries.listing import ExpenseReadModel

__all__ = [
    "COLUMNS",
    "DIMENSIONS",
    "METRICS",
    "AggregateQuery",
    "ExpenseQuery",
    "ExpenseReadModel",
]
