"""marshmallow schemas of expenses: query strings (queries) and bodies/representations (bodies)."""

from mosaic.expenses.schemas.bodies import (
    ExpenseBatchPatch,
    ExpenseCreate,
    ExpensePatch,
    ExpenseRead,
    ExpenseUpdate,
    RegisterCreate,
    RegisterRead,
    RegisterUpdate,
    Versioned,
    expense_body,
    sparse,
)
from mosaic.expenses.schemas.queries import (
    AggregateRequest,
    ExpenseAggregateQuery,
    ExpenseListQuery,
    ExpenseListRequest,
    ImportQuery,
)

__all__ = [
    "AggregateRequest",
    "ExpenseAggregateQuery",
    "ExpenseBatchPatch",
    "ExpenseCreate",
    "ExpenseListQuery",
    "ExpenseListRequest",
    "ExpensePatch",
    "ExpenseRead",
    "ExpenseUpdate",
    "ImportQuery",
    "RegisterCreate",
    "RegisterRead",
    "RegisterUpdate",
    "Versioned",
    "expense_body",
    "sparse",
]
