"""geo's read side: what the services may ask (`TurnoverReader`) and its SQL implementation.

`turnover` builds the aggregates and the filters every read shares; `shapes` builds the
geometries (choropleth rows, the union of Madrid, vector tiles) on top of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from typing import Protocol

from sqlalchemy import Connection

from mosaic.geo.domain import (
    EVERY_ROW,
    BoundingBox,
    GeometryOptions,
    PostalCodeShape,
    TurnoverFilter,
    TurnoverGroup,
    Window,
)
from mosaic.geo.queries import shapes, turnover
from mosaic.platform.db import Database
from mosaic.platform.revisions import Revision

Tile = tuple[int, int, int]  # z, x, y


class TurnoverReader(Protocol):
    """The reads behind the map: plain data out, no SQLAlchemy object leaves."""

    def turnover(
        self, wanted: TurnoverFilter, group_by: Sequence[str] = ()
    ) -> list[TurnoverGroup]: ...

    def postal_code_shapes(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, window: Window = EVERY_ROW
    ) -> list[PostalCodeShape]: ...

    def postal_code_count(self, wanted: TurnoverFilter) -> int: ...

    def postal_code_at(self, lon: float, lat: float) -> str | None: ...

    def madrid_union(self, options: GeometryOptions) -> str | None: ...

    def postal_code_tile(self, tile: Tile, wanted: TurnoverFilter) -> bytes: ...

    def extent(self) -> BoundingBox | None: ...

    def months(self) -> tuple[date, date] | None: ...

    def known_codes(self, codes: Sequence[str]) -> set[str]: ...


Reading = Callable[[], AbstractContextManager[TurnoverReader]]


class SqlReader:
    """The TurnoverReader on one read connection (one per request that misses the cache)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def turnover(self, wanted: TurnoverFilter, group_by: Sequence[str] = ()) -> list[TurnoverGroup]:
        return turnover.turnover(self.connection, wanted, group_by)

    def postal_code_shapes(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, window: Window = EVERY_ROW
    ) -> list[PostalCodeShape]:
        return shapes.postal_code_shapes(self.connection, wanted, options, window=window)

    def postal_code_count(self, wanted: TurnoverFilter) -> int:
        return shapes.postal_code_count(self.connection, wanted)

    def postal_code_at(self, lon: float, lat: float) -> str | None:
        return shapes.postal_code_at(self.connection, lon, lat)

    def madrid_union(self, options: GeometryOptions) -> str | None:
        return shapes.madrid_union(self.connection, options)

    def postal_code_tile(self, tile: Tile, wanted: TurnoverFilter) -> bytes:
        return shapes.postal_code_tile(self.connection, tile, wanted)

    def extent(self) -> BoundingBox | None:
        return turnover.extent(self.connection)

    def months(self) -> tuple[date, date] | None:
        return turnover.months(self.connection)

    def known_codes(self, codes: Sequence[str]) -> set[str]:
        return turnover.known_codes(self.connection, codes)


def reading(database: Database) -> Reading:
    """Readers on `database`'s read connections."""

    @contextmanager
    def read() -> Iterator[TurnoverReader]:
        with database.reading() as connection:
            yield SqlReader(connection)

    return read


def revision(database: Database) -> Revision:
    """geo's data revision (`seed geo` bumps it), when it is read rather than pushed: a
    primary-key lookup on a standing connection."""
    return Revision(lambda: int(database.read_scalar(turnover.revision_statement()) or 0))
