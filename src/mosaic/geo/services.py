"""Geo use cases: seeding the datasets, and the cached turnover reads behind the map dashboard.

Caching: every key includes the data revision (`geo_revision`, bumped by `seed geo` in the same
transaction as the data). The cache may live in each gunicorn worker's memory while the seed runs
in another process, so deleting keys could never reach every copy; a new revision simply makes
every old key unreachable, and reading it is one primary-key lookup per request, on a
standing connection (`Database.read_scalar`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from mosaic.geo import geometries, presenters, queries
from mosaic.geo.domain import Legend, TurnoverFilter, cents, tile_bounds
from mosaic.geo.geometries import GeometryOptions
from mosaic.platform.cache import ResultCache
from mosaic.platform.db import Database
from mosaic.platform.errors import NotFound

T = TypeVar("T")
V = TypeVar("V")
REGION_GROUPS = {"by_month": "month", "by_age": "age", "by_gender": "gender"}


class UnknownPostalCode(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"No postal code {code} in Madrid's dataset.")


@dataclass(frozen=True)
class Cached(Generic[V]):
    """A result and the key it was cached under (a strong validator: it changes with the data)."""

    value: V
    key: str


class TurnoverService:
    """Reads for every widget; results are cached per data revision and parameters."""

    def __init__(self, database: Database, cache: ResultCache) -> None:
        self.database = database
        self.cache = cache

    def _cached(self, parts: tuple[Any, ...], compute: Callable[[Connection], T]) -> Cached[T]:
        """A hit costs the revision read only; a read connection is taken on a miss."""

        def fresh() -> T:
            with self.database.reading() as connection:
                return compute(connection)

        key = self._key(*parts)
        return Cached(self.cache.get_or_compute(key, fresh), key)

    def _key(self, *parts: Any) -> str:
        revision = int(self.database.read_scalar(queries.revision_statement()) or 0)
        return ResultCache.key("geo", revision, *parts)

    def turnover(self, wanted: TurnoverFilter, group_by: Sequence[str]) -> Cached[dict[str, Any]]:
        def compute(connection: Connection) -> dict[str, Any]:
            return presenters.turnover(queries.turnover(connection, wanted, group_by), group_by)

        return self._cached(("turnover", wanted.cache_parts(), tuple(group_by)), compute)

    def choropleth(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, classes: int
    ) -> Cached[str]:
        def compute(connection: Connection) -> str:
            shapes = geometries.postal_code_shapes(connection, wanted, options)
            legend = Legend.quantiles([s.turnover for s in shapes], classes)
            return presenters.feature_collection(shapes, legend)

        parts = ("choropleth", wanted.cache_parts(), options, classes)
        return self._cached(parts, compute)

    def postal_code(
        self, code: str, wanted: TurnoverFilter, options: GeometryOptions
    ) -> Cached[str]:
        def compute(connection: Connection) -> str:
            everywhere = replace(wanted, postal_codes=(code,), bbox=None)
            shapes = geometries.postal_code_shapes(connection, everywhere, options)
            if not shapes:
                raise UnknownPostalCode(code)
            shape = shapes[0]
            by_month = queries.turnover(connection, everywhere, ("month",))
            by_age_gender = queries.turnover(connection, everywhere, ("age", "gender"))
            properties = {
                "code": shape.code,
                "turnover": cents(shape.turnover),
                "by_month": presenters.groups(by_month),
                "by_age_gender": presenters.groups(by_age_gender),
            }
            return presenters.feature(shape.geometry, properties, feature_id=shape.id)

        return self._cached(("postal_code", code, wanted.cache_parts(), options), compute)

    def madrid(self, options: GeometryOptions) -> Cached[str]:
        def compute(connection: Connection) -> str:
            everything = TurnoverFilter()
            total = queries.turnover(connection, everything)[0]["turnover"]
            properties: dict[str, Any] = {"name": "Madrid", "turnover": cents(total)}
            for name, key in REGION_GROUPS.items():
                properties[name] = presenters.groups(
                    queries.turnover(connection, everything, (key,))
                )
            return presenters.feature(geometries.madrid_union(connection, options), properties)

        return self._cached(("madrid", options), compute)

    def tile(self, z: int, x: int, y: int, wanted: TurnoverFilter) -> Cached[bytes]:
        """An empty tile costs one cached extent check: no geometry is touched."""

        def compute(connection: Connection) -> bytes:
            extent_key = self._key("extent")
            box = self.cache.get_or_compute(extent_key, lambda: queries.extent(connection))
            if box is None or not box.intersects(tile_bounds(z, x, y)):
                return b""
            return geometries.postal_code_tile(connection, (z, x, y), wanted)

        return self._cached(("tile", z, x, y, wanted.cache_parts()), compute)
