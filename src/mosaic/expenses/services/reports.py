"""The query side's use cases: what finance reads (denormalized lists, one expense, aggregates).

Reads go through the read model (Core selects on the read engine), never through the unit of
work: commands and queries are apart (CQRS).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

from mosaic.expenses.domain import ExpenseView
from mosaic.expenses.queries import AggregateQuery, ExpenseQuery, ExpenseReadModel
from mosaic.expenses.services.rules import RecordNotFound
from mosaic.platform.pagination import Page
from mosaic.platform.revisions import Revision


class ExpenseReports:
    def __init__(self, read_model: ExpenseReadModel) -> None:
        self.read_model = read_model

    @property
    def revision(self) -> Revision:
        """The data revision that keys cached responses."""
        return self.read_model.revision

    def list(self, query: ExpenseQuery) -> Page[ExpenseView]:
        return self.read_model.list(query)

    def export(self, query: ExpenseQuery) -> Iterator[ExpenseView]:
        return self.read_model.stream(query)

    def get_or_raise(self, expense_id: int) -> ExpenseView:
        found = self.read_model.get(expense_id)
        if found is None:
            raise RecordNotFound("expense", expense_id)
        return found

    def aggregate(self, query: AggregateQuery) -> builtins.list[dict[str, Any]]:
        return self.read_model.aggregate(query)
