"""Monthly range partitions of tables partitioned by a timestamp: names, creation, retention.

Generic: a context names its tables. PostgreSQL has no bound parameters in DDL, so the
statements are composed here from identifiers quoted by the dialect and dates this module makes
(never from request input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, text

PARTITION_NAME = re.compile(r"^(?P<parent>.+)_(p(?P<year>\d{4})_(?P<month>\d{2})|default)$")


def is_partition(name: str) -> bool:
    """Alembic compares parents only: partitions are made by migrations and maintenance."""
    return PARTITION_NAME.match(name) is not None


def month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def months(first: date, last: date) -> list[date]:
    """The first days of every month from `first`'s to `last`'s, inclusive."""
    found, current = [], first.replace(day=1)
    while current <= last:
        found.append(current)
        current = month_start(current.year, current.month + 1)
    return found


@dataclass(frozen=True)
class MonthlyPartitions:
    """The partitions of `parent`, one per month of `column` plus a DEFAULT one."""

    parent: str
    column: str

    def name(self, month: date) -> str:
        return f"{self.parent}_p{month.year:04d}_{month.month:02d}"

    def existing(self, connection: Connection) -> list[date]:
        rows = connection.execute(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = to_regclass(:parent)"
            ),
            {"parent": self.parent},
        ).scalars()
        found = [PARTITION_NAME.match(name) for name in rows]
        return sorted(
            date(int(m["year"]), int(m["month"]), 1) for m in found if m and m["year"] is not None
        )

    def create(self, connection: Connection, month: date) -> None:
        """Add the month's partition; rows of that month waiting in DEFAULT move into it."""
        quote = connection.dialect.identifier_preparer.quote
        parent, child = quote(self.parent), quote(self.name(month))
        column, default = quote(self.column), quote(f"{self.parent}_default")
        start, end = _bound(month), _bound(month_start(month.year, month.month + 1))
        where = f"{column} >= '{start}' AND {column} < '{end}'"
        connection.execute(text(f"CREATE TABLE {child} (LIKE {parent} INCLUDING DEFAULTS)"))
        move = f"WITH moved AS (DELETE FROM {default} WHERE {where} RETURNING *) "  # noqa: S608
        connection.execute(text(f"{move} INSERT INTO {child} SELECT * FROM moved"))  # noqa: S608
        connection.execute(
            text(
                f"ALTER TABLE {parent} ATTACH PARTITION {child} "
                f"FOR VALUES FROM ('{start}') TO ('{end}')"
            )
        )

    def drop_before(self, connection: Connection, month: date) -> list[date]:
        """Drop the partitions of months before `month`, and such rows left in DEFAULT."""
        quote = connection.dialect.identifier_preparer.quote
        dropped = [m for m in self.existing(connection) if m < month]
        for old in dropped:
            connection.execute(text(f"DROP TABLE {quote(self.name(old))}"))
        default, column = quote(f"{self.parent}_default"), quote(self.column)
        bound = _bound(month)
        connection.execute(text(f"DELETE FROM {default} WHERE {column} < '{bound}'"))  # noqa: S608
        return dropped


def _bound(month: date) -> str:
    """A partition bound in UTC, whatever the session's time zone."""
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()
