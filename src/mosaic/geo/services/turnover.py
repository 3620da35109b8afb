"""The turnover reads behind the map dashboard: data in, data out (the view renders and caches).

The views keep whole rendered responses per data revision (`cached_response`); the revision is
held here so that the tile's extent check is keyed by the same one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Literal

from mosaic.geo.domain import (
    KEY_ORDER,
    BoundingBox,
    Choropleth,
    Coverage,
    GeometryOptions,
    Legend,
    Period,
    PostalCodeDetail,
    PostalCodePage,
    Ranking,
    Region,
    Turnover,
    TurnoverFilter,
    TurnoverGroup,
    Window,
    tile_bounds,
)
from mosaic.geo.queries import Reading, TurnoverReader
from mosaic.platform.cache import ResultCache
from mosaic.platform.errors import BadRequest, NotFound
from mosaic.platform.revisions import Revision

REGION_GROUPS = {"by_month": "month", "by_age": "age", "by_gender": "gender"}


class UnknownPostalCode(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"No postal code {code} in Madrid's dataset.")


class OutsideMadrid(NotFound):
    def __init__(self, lon: float, lat: float) -> None:
        super().__init__(f"No Madrid postal code contains the point lon={lon}, lat={lat}.")


class NothingToCompare(BadRequest):
    def __init__(self) -> None:
        detail = (
            "There are no paystats to place the previous period after; give from and to, or "
            "name the period: compare=YYYY-MM/YYYY-MM."
        )
        super().__init__(detail, errors=[{"parameter": "compare", "detail": detail}])


class NoPreviousPeriod(BadRequest):
    def __init__(self, period: Period) -> None:
        detail = (
            f"The {period.months} months before {period.first:%Y-%m} would begin before the "
            "year 1; name the period: compare=YYYY-MM/YYYY-MM."
        )
        super().__init__(detail, errors=[{"parameter": "compare", "detail": detail}])


def _detail(
    reader: TurnoverReader, code: str, wanted: TurnoverFilter, options: GeometryOptions
) -> PostalCodeDetail:
    everywhere = replace(wanted, postal_codes=(code,), bbox=None)
    shapes = reader.postal_code_shapes(everywhere, options)
    if not shapes:
        raise UnknownPostalCode(code)
    by_month = reader.turnover(everywhere, ("month",))
    by_age_gender = reader.turnover(everywhere, ("age", "gender"))
    return PostalCodeDetail(shapes[0], by_month=by_month, by_age_gender=by_age_gender)


class UnknownPostalCodesInFilter(BadRequest):
    def __init__(self, codes: Sequence[str]) -> None:
        detail = f"No postal code {', '.join(codes)} in Madrid's dataset."
        super().__init__(detail, errors=[{"parameter": "postal_code", "detail": detail}])


def _refuse_unknown_codes(reader: TurnoverReader, wanted: TurnoverFilter) -> None:
    """A postal code in a filter that the dataset does not have is the client's mistake."""
    if wanted.postal_codes:
        known = reader.known_codes(wanted.postal_codes)
        if unknown := [c for c in wanted.postal_codes if c not in known]:
            raise UnknownPostalCodesInFilter(unknown)


def _with_previous(groups: list[TurnoverGroup], before: list[TurnoverGroup]) -> list[TurnoverGroup]:
    """Each group with its turnover in the other period (0 where it had none)."""
    previous = {tuple(g.keys.values()): g.turnover for g in before}
    return [replace(g, previous=previous.get(tuple(g.keys.values()), Decimal(0))) for g in groups]


class TurnoverService:
    """Reads for every widget, on a reader taken per call."""

    def __init__(self, reading: Reading, *, revision: Revision, cache: ResultCache) -> None:
        self.reading = reading
        self.revision = revision
        self.cache = cache

    def turnover(
        self,
        wanted: TurnoverFilter,
        group_by: Sequence[str],
        *,
        ranking: Ranking = KEY_ORDER,
        compare: Period | Literal["previous"] | None = None,
    ) -> Turnover:
        """The total of `wanted`, and its groups when `group_by` names keys, ranked; compared
        with another period (or the one before `wanted`'s) when asked."""
        with self.reading() as reader:
            _refuse_unknown_codes(reader, wanted)
            groups = reader.turnover(wanted, group_by)
            total = sum((group.turnover for group in groups), Decimal(0))
            if compare is None:
                return Turnover(total, ranking.apply(groups) if group_by else [])
            period = self._period(reader, wanted) if compare == "previous" else compare
            other = replace(wanted, month_from=period.first, month_to=period.last)
            before = reader.turnover(other, group_by)
        shown = ranking.apply(_with_previous(groups, before)) if group_by else []
        previous = sum((group.turnover for group in before), Decimal(0))
        return Turnover(total, shown, compared_with=period, previous_total=previous)

    def _period(self, reader: TurnoverReader, wanted: TurnoverFilter) -> Period:
        """The period before `wanted`'s months (the data's first/last where it names none)."""
        months = reader.months()
        first = wanted.month_from or (months[0] if months else None)
        last = wanted.month_to or (months[1] if months else None)
        if first is None or last is None:
            raise NothingToCompare()
        try:
            return Period(first, last).previous()
        except ValueError as error:  # a month before the year 1
            raise NoPreviousPeriod(Period(first, last)) from error

    def choropleth(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, classes: int
    ) -> Choropleth:
        with self.reading() as reader:
            shapes = reader.postal_code_shapes(wanted, options)
        return Choropleth(shapes, Legend.quantiles([s.turnover for s in shapes], classes))

    def postal_code_page(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, window: Window, classes: int
    ) -> PostalCodePage:
        """`window` of the postal codes matching `wanted`, how many match, and the legend over
        every postal code for `wanted`'s paystats (a class does not change with the page, the
        box or the codes asked)."""
        everywhere = replace(wanted, postal_codes=(), bbox=None)
        with self.reading() as reader:
            matched = reader.postal_code_count(wanted)
            shapes = reader.postal_code_shapes(wanted, options, window=window)
            totals = reader.turnover(everywhere, ("postal_code",))
            months = reader.months()
        legend = Legend.quantiles([group.turnover for group in totals], classes)
        period = Period(*months).within(wanted.month_from, wanted.month_to) if months else None
        return PostalCodePage(shapes, legend, matched, window.offset, period)

    def postal_code(
        self, code: str, wanted: TurnoverFilter, *, options: GeometryOptions
    ) -> PostalCodeDetail:
        """A postal code with its turnover, kept per revision, filter and drawing: the point
        lookup asks for the same hundred codes from every point of the map."""
        key = ResultCache.key("geo", self.revision.current(), "postal-code", code, wanted, options)
        return self.cache.get_or_compute(key, lambda: self._read_detail(code, wanted, options))

    def _read_detail(
        self, code: str, wanted: TurnoverFilter, options: GeometryOptions
    ) -> PostalCodeDetail:
        with self.reading() as reader:
            return _detail(reader, code, wanted, options)

    def postal_code_at(
        self, lon: float, lat: float, wanted: TurnoverFilter, *, options: GeometryOptions
    ) -> PostalCodeDetail:
        """The postal code whose polygon holds the point (one indexed lookup), with its
        turnover (as `postal_code`)."""
        with self.reading() as reader:
            code = reader.postal_code_at(lon, lat)
        if code is None:
            raise OutsideMadrid(lon, lat)
        return self.postal_code(code, wanted, options=options)

    def madrid(self, wanted: TurnoverFilter, *, options: GeometryOptions) -> Region:
        """The union of every postal code, with the totals of `wanted` (months, ages, genders)."""
        with self.reading() as reader:
            total = reader.turnover(wanted)[0].turnover
            breakdowns = {
                name: reader.turnover(wanted, (key,)) for name, key in REGION_GROUPS.items()
            }
            outline = reader.madrid_union(options)
        return Region("Madrid", geometry=outline, turnover=total, breakdowns=breakdowns)

    def madrid_within(self, wanted: TurnoverFilter, options: GeometryOptions) -> Region | None:
        """Madrid (as `madrid`) when some postal code meets `wanted.bbox`, else None."""
        if wanted.bbox:
            with self.reading() as reader:
                if not reader.postal_code_count(TurnoverFilter(bbox=wanted.bbox)):
                    return None
        return self.madrid(replace(wanted, postal_codes=(), bbox=None), options=options)

    def coverage(self) -> Coverage:
        """The box around the postal codes and the first and last paystat months."""
        with self.reading() as reader:
            months = reader.months()
            box = self._extent(reader)
        first, last = months if months else (None, None)
        return Coverage(box, first, last)

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
