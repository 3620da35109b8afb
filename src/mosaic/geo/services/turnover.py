"""The turnover reads behind the map dashboard: data in, data out (the view renders and caches).

The views keep whole rendered responses per data revision (`cached_response`); the revision is
held here so that the tile's extent check is keyed by the same one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from mosaic.geo.domain import (
    BoundingBox,
    Choropleth,
    GeometryOptions,
    Legend,
    PostalCodeDetail,
    Region,
    Turnover,
    TurnoverFilter,
    tile_bounds,
)
from mosaic.geo.queries import Reading, TurnoverReader
from mosaic.platform.cache import ResultCache, Revision
from mosaic.platform.errors import BadRequest, NotFound

REGION_GROUPS = {"by_month": "month", "by_age": "age", "by_gender": "gender"}


class UnknownPostalCode(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"No postal code {code} in Madrid's dataset.")


class UnknownPostalCodesInFilter(BadRequest):
    def __init__(self, codes: Sequence[str]) -> None:
        detail = f"No postal code {', '.join(codes)} in Madrid's dataset."
        super().__init__(detail, errors=[{"parameter": "postal_code", "detail": detail}])


class TurnoverService:
    """Reads for every widget, on a reader taken per call."""

    def __init__(self, reading: Reading, *, revision: Revision, cache: ResultCache) -> None:
        self.reading = reading
        self.revision = revision
        self.cache = cache

    def turnover(self, wanted: TurnoverFilter, group_by: Sequence[str]) -> Turnover:
        """The total of `wanted`, and its groups when `group_by` names keys."""
        with self.reading() as reader:
            if wanted.postal_codes:
                known = reader.known_codes(wanted.postal_codes)
                if unknown := [c for c in wanted.postal_codes if c not in known]:
                    raise UnknownPostalCodesInFilter(unknown)
            groups = reader.turnover(wanted, group_by)
        total = sum((group.turnover for group in groups), Decimal(0))
        return Turnover(total=total, groups=groups if group_by else [])

    def choropleth(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, classes: int
    ) -> Choropleth:
        with self.reading() as reader:
            shapes = reader.postal_code_shapes(wanted, options)
        return Choropleth(shapes, Legend.quantiles([s.turnover for s in shapes], classes))

    def postal_code(
        self, code: str, wanted: TurnoverFilter, *, options: GeometryOptions
    ) -> PostalCodeDetail:
        everywhere = replace(wanted, postal_codes=(code,), bbox=None)
        with self.reading() as reader:
            shapes = reader.postal_code_shapes(everywhere, options)
            if not shapes:
                raise UnknownPostalCode(code)
            by_month = reader.turnover(everywhere, ("month",))
            by_age_gender = reader.turnover(everywhere, ("age", "gender"))
        return PostalCodeDetail(shapes[0], by_month=by_month, by_age_gender=by_age_gender)

    def madrid(self, wanted: TurnoverFilter, *, options: GeometryOptions) -> Region:
        """The union of every postal code, with the totals of `wanted` (months, ages, genders)."""
        with self.reading() as reader:
            total = reader.turnover(wanted)[0].turnover
            breakdowns = {
                name: reader.turnover(wanted, (key,)) for name, key in REGION_GROUPS.items()
            }
            outline = reader.madrid_union(options)
        return Region("Madrid", geometry=outline, turnover=total, breakdowns=breakdowns)

    def tile(self, z: int, x: int, y: int, wanted: TurnoverFilter) -> bytes:
        """A vector tile; empty (b"") outside the data's extent, decided before any geometry."""
        with self.reading() as reader:
            box = self._extent(reader)
            if box is None or not box.intersects(tile_bounds(z, x, y)):
                return b""
            return reader.postal_code_tile((z, x, y), wanted)

    def extent(self) -> BoundingBox | None:
        """The box around every postal code (None before the first seed)."""
        with self.reading() as reader:
            return self._extent(reader)

    def _extent(self, reader: TurnoverReader) -> BoundingBox | None:
        key = ResultCache.key("geo", self.revision.current(), "extent")
        return self.cache.get_or_compute(key, reader.extent)
