"""Read side of the expense list: one page, one expense, or every match streamed (Core select)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Executable, func, select

from mosaic.expenses.domain import ExpenseView
from mosaic.expenses.models import ExpenseRevisionModel
from mosaic.expenses.queries.aggregates import aggregate
from mosaic.expenses.queries.columns import (
    COLUMNS,
    EXPENSE,
    JOINED,
    LABELED,
    AggregateQuery,
    ExpenseQuery,
    on_expense,
    view_of,
)
from mosaic.platform.pagination import Page, read_page, sort_values
from mosaic.platform.revisions import Revision

Reading = Callable[[], AbstractContextManager[Connection]]
STREAM_CHUNK = 1000


class ExpenseReadModel:
    """The read side (CQRS): Core selects on the read engine (DATABASE_READ_URL)."""

    # What migration 0007's trigger calls the counter when it announces a new value.
    REVISION_COUNTER = ExpenseRevisionModel.__tablename__

    def __init__(
        self,
        reading: Reading,
        *,
        read_scalar: Callable[[Executable], Any],
        staleness_s: float = 0,
    ) -> None:
        self.reading = reading
        self.read_scalar = read_scalar
        self.revision = Revision(self._read_revision, staleness_s=staleness_s)

    def _read_revision(self) -> int:
        return int(self.read_scalar(select(ExpenseRevisionModel.revision)) or 0)

    def list(self, query: ExpenseQuery) -> Page[ExpenseView]:
        conditions = [f.condition(COLUMNS[f.name]) for f in query.filters]
        statement = select(*LABELED).select_from(JOINED).where(*conditions)
        request = query.page
        with self.reading() as connection:
            rows, has_more = read_page(connection, statement, COLUMNS, request)
            total = -1
            if not request.by_cursor:
                counted = [on_expense(f) for f in query.filters]
                counting = select(func.count()).select_from(EXPENSE).where(*counted)
                total = int(connection.scalar(counting) or 0)
        return Page(
            items=[view_of(row) for row in rows],
            total=total,
            first_keys=sort_values(rows[0], request.keys) if rows else None,
            last_keys=sort_values(rows[-1], request.keys) if rows else None,
            has_more=has_more,
            counted=not request.by_cursor,
        )

    def get(self, expense_id: int) -> ExpenseView | None:
        statement = select(*LABELED).select_from(JOINED).where(EXPENSE.c.id == expense_id)
        with self.reading() as connection:
            row = connection.execute(statement).one_or_none()
        return view_of(row) if row is not None else None

    def stream(self, query: ExpenseQuery) -> Iterator[ExpenseView]:
        """Every match in the query's order, fetched in chunks (a CSV export)."""
        conditions = [f.condition(COLUMNS[f.name]) for f in query.filters]
        order = [
            COLUMNS[k.name].desc() if k.descending else COLUMNS[k.name].asc()
            for k in query.page.keys
        ]
        statement = select(*LABELED).select_from(JOINED).where(*conditions).order_by(*order)
        # On the statement, not the connection: Connection.execution_options() changes the
        # connection itself, which outlives this read where connections are shared.
        streamed = statement.execution_options(stream_results=True, yield_per=STREAM_CHUNK)
        with self.reading() as connection:
            for row in connection.execute(streamed):
                yield view_of(row)

    def aggregate(self, query: AggregateQuery) -> builtins.list[dict[str, Any]]:
        with self.reading() as connection:
            return aggregate(connection, query)
