"""Read side: the filtered, sorted, paginated list of phone numbers (SQLAlchemy Core)."""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Executable, and_, func, or_, select

from mosaic.numbers.domain import Currency
from mosaic.numbers.models import PhoneNumberModel, PhoneNumberRevisionModel
from mosaic.numbers.repository import to_entity

TABLE = PhoneNumberModel.__table__
SORTABLE = ("id", "value", "monthly_price", "setup_price", "currency")
PRICES = ("monthly_price", "setup_price")
Reading = Callable[[], AbstractContextManager[Connection]]
SortKey = tuple[str, bool]  # (column, descending)
COMPARISONS = {"gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}


@dataclass(frozen=True)
class NumberQuery:
    """What the list asks for; `after` holds the sort values of the last row seen (cursor)."""

    currency: Currency | None = None
    price_ranges: Sequence[tuple[str, str, Decimal]] = ()  # (column, gte|gt|lte|lt, bound)
    digits: str | None = None
    prefix: bool = False
    sort: Sequence[SortKey] = (("id", False),)
    page: int = 1
    per_page: int = 50
    after: Sequence[Any] | None = None
    use_cursor: bool = False

    @property
    def keys(self) -> list[SortKey]:
        """The sort keys, made total by a trailing id."""
        keys = list(self.sort)
        return keys if any(name == "id" for name, _ in keys) else [*keys, ("id", False)]


@dataclass(frozen=True)
class NumberPage:
    items: list[Any]  # PhoneNumber entities, or their representation once shown
    total: int
    last_keys: list[Any] | None = field(default=None)  # sort values of the last item


def _filters(query: NumberQuery) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.currency is not None:
        found.append(TABLE.c.currency == query.currency.value)
    for column, comparison, bound in query.price_ranges:
        found.append(COMPARISONS[comparison](TABLE.c[column], bound))
    if query.digits:
        value = TABLE.c.value
        found.append(
            value.startswith("+" + query.digits) if query.prefix else value.contains(query.digits)
        )
    return found


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys` (keyset pagination)."""
    branches = []
    for index, ((name, descending), value) in enumerate(zip(keys, values, strict=True)):
        column = TABLE.c[name]
        ties = [TABLE.c[n] == v for (n, _), v in zip(keys[:index], values[:index], strict=True)]
        branches.append(and_(*ties, column < value if descending else column > value))
    return or_(*branches)


class InventoryRevision:
    """The inventory's revision as last read, trusted for `staleness_s` seconds.

    Every write bumps the revision in its transaction, and cached pages are keyed by it. Reading
    it on every request costs a database round trip that dominates a cached list (a third of the
    throughput); trusting it for a moment bounds how long a write made through *another* worker
    can go unseen by a list. This worker's own writes call `forget()`, so they show at once.
    `staleness_s=0` reads it on every request.
    """

    def __init__(
        self,
        read: Callable[[], int],
        *,
        staleness_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read, self._staleness_s, self._clock = read, staleness_s, clock
        self._known: tuple[int, float] | None = None  # (revision, when it was read)

    def current(self) -> int:
        now, known = self._clock(), self._known
        if known is None or now - known[1] >= self._staleness_s:
            known = self._known = (self._read(), now)
        return known[0]

    def forget(self) -> None:
        self._known = None


class PhoneNumberCatalog:
    """The list, and the inventory revision that keys the cached list responses (http.py)."""

    def __init__(
        self,
        reading: Reading,
        *,
        read_scalar: Callable[[Executable], Any] | None = None,
        staleness_s: float = 0,
    ) -> None:
        self.reading = reading
        self.read_scalar = read_scalar or self._scalar_on_a_read_connection
        self.revisions = InventoryRevision(self._read_revision, staleness_s=staleness_s)

    def _scalar_on_a_read_connection(self, statement: Executable) -> Any:
        with self.reading() as connection:
            return connection.scalar(statement)

    def _read_revision(self) -> int:
        return int(self.read_scalar(select(PhoneNumberRevisionModel.revision)) or 0)

    def revision(self) -> int:
        """The revision that keys cached pages (see InventoryRevision)."""
        return self.revisions.current()

    def list(self, query: NumberQuery) -> NumberPage:
        with self.reading() as connection:
            return _page(connection, query)


def _page(connection: Connection, query: NumberQuery) -> NumberPage:
    filters, keys = _filters(query), query.keys
    counting = select(func.count()).select_from(TABLE).where(*filters)
    order = [TABLE.c[n].desc() if d else TABLE.c[n].asc() for n, d in keys]
    statement = select(TABLE, counting.scalar_subquery().label("total")).where(*filters)
    if query.use_cursor and query.after is not None:
        statement = statement.where(_after(keys, query.after))
    elif not query.use_cursor:
        statement = statement.offset((query.page - 1) * query.per_page)
    rows = connection.execute(statement.order_by(*order).limit(query.per_page)).all()
    total = rows[0].total if rows else connection.scalar(counting)
    last = [getattr(rows[-1], n) for n, _ in keys] if rows else None
    return NumberPage(items=[to_entity(row) for row in rows], total=int(total or 0), last_keys=last)
