"""Read side: the filtered, sorted, paged list of phone numbers (SQLAlchemy Core), and the
inventory revision that keys cached list responses."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Executable, func, select

from mosaic.numbers.domain import Currency, PhoneNumber
from mosaic.numbers.models import PhoneNumberModel, PhoneNumberRevisionModel, to_entity
from mosaic.platform.pagination import Page, PageRequest, keyset_after, order_by
from mosaic.platform.querystring import Filter
from mosaic.platform.revisions import Revision

TABLE = PhoneNumberModel.__table__
COLUMNS: dict[str, ColumnElement[Any]] = dict(TABLE.c)
PRICES = ("monthly_price", "setup_price")
Reading = Callable[[], AbstractContextManager[Connection]]


@dataclass(frozen=True)
class NumberFilter:
    """Which numbers the list shows."""

    currency: Currency | None = None
    price_ranges: tuple[Filter, ...] = ()  # on monthly_price / setup_price
    digits: str | None = None
    prefix: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        found = [f.condition(COLUMNS[f.name]) for f in self.price_ranges]
        if self.currency is not None:
            found.append(TABLE.c.currency == self.currency.value)
        if self.digits:
            value = TABLE.c.value
            found.append(
                value.startswith("+" + self.digits) if self.prefix else value.contains(self.digits)
            )
        return found


@dataclass(frozen=True)
class NumberListing:
    """One list request: which numbers, and which page of them."""

    wanted: NumberFilter = field(default_factory=NumberFilter)
    page: PageRequest = field(default_factory=PageRequest)


class PhoneNumberCatalog:
    """The list, and the inventory revision that keys the cached list responses."""

    # What migration 0007's trigger calls the counter when it announces a new value.
    REVISION_COUNTER = PhoneNumberRevisionModel.__tablename__

    def __init__(
        self,
        reading: Reading,
        *,
        read_scalar: Callable[[Executable], Any] | None = None,
        staleness_s: float = 0,
    ) -> None:
        self.reading = reading
        self.read_scalar = read_scalar or self._scalar_on_a_read_connection
        self.revision = Revision(self._read_revision, staleness_s=staleness_s)

    def _scalar_on_a_read_connection(self, statement: Executable) -> Any:
        with self.reading() as connection:
            return connection.scalar(statement)

    def _read_revision(self) -> int:
        return int(self.read_scalar(select(PhoneNumberRevisionModel.revision)) or 0)

    def list(self, listing: NumberListing) -> Page[PhoneNumber]:
        with self.reading() as connection:
            return _page(connection, listing)


def _page(connection: Connection, listing: NumberListing) -> Page[PhoneNumber]:
    filters, request = listing.wanted.conditions(), listing.page
    keys = request.keys
    counting = select(func.count()).select_from(TABLE).where(*filters)
    statement = select(TABLE, counting.scalar_subquery().label("total")).where(*filters)
    if request.by_cursor and request.after is not None:
        statement = statement.where(keyset_after(COLUMNS, keys, request.after))
    elif not request.by_cursor:
        statement = statement.offset(request.offset)
    rows = connection.execute(statement.order_by(*order_by(COLUMNS, keys)).limit(request.limit))
    found = rows.all()
    total = found[0].total if found else connection.scalar(counting)
    last = tuple(getattr(found[-1], k.name) for k in keys) if found else None
    return Page(items=[to_entity(row) for row in found], total=int(total or 0), last_keys=last)
