"""The geo domain: postal codes, paystats, turnover filters, legend classes. Plain Python only."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

AGE_GROUPS = ("<=24", "25-34", "35-44", "45-54", "55-64", ">=65")
GENDERS = ("F", "M")
GROUP_KEYS = ("month", "gender", "age", "postal_code")
POSTAL_CODE_PATTERN = re.compile(r"^[0-9]{5}$")
CENT = Decimal("0.01")
MAX_ZOOM = 22


class InvalidRecord(ValueError):
    """A source row that breaks a rule of the domain; the message says which."""


def cents(amount: Decimal) -> str:
    """An amount as exact decimal text to the cent (half up), e.g. '1234.57'."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PostalCode:
    id: int
    code: str
    geometry_ewkb_hex: str

    def __post_init__(self) -> None:
        if not POSTAL_CODE_PATTERN.match(self.code):
            raise InvalidRecord(f"code {self.code!r} is not five digits")
        if not self.geometry_ewkb_hex or len(self.geometry_ewkb_hex) % 2:
            raise InvalidRecord("the_geom is not hex EWKB")
        try:
            bytes.fromhex(self.geometry_ewkb_hex)
        except ValueError as error:
            raise InvalidRecord("the_geom is not hex EWKB") from error


@dataclass(frozen=True)
class Paystat:
    """The total paid by one age group and gender in one postal code during one month."""

    id: int
    postal_code_id: int
    month: date
    age_group: str
    gender: str
    amount: Decimal

    def __post_init__(self) -> None:
        if self.month.day != 1:
            raise InvalidRecord(f"p_month {self.month} is not the first of a month")
        if self.age_group not in AGE_GROUPS:
            raise InvalidRecord(f"p_age {self.age_group!r} is not one of {', '.join(AGE_GROUPS)}")
        if self.gender not in GENDERS:
            raise InvalidRecord(f"p_gender {self.gender!r} is not one of {', '.join(GENDERS)}")
        if not self.amount.is_finite():
            raise InvalidRecord(f"amount {self.amount} is not a finite number")


def parse_int(value: str, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise InvalidRecord(f"{name} {value!r} is not an integer") from error


def parse_amount(value: str) -> Decimal:
    try:
        return Decimal(value)
    except (TypeError, InvalidOperation) as error:
        raise InvalidRecord(f"amount {value!r} is not a decimal number") from error


def parse_month(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise InvalidRecord(f"p_month {value!r} is not a date YYYY-MM-DD") from error


@dataclass(frozen=True)
class BoundingBox:
    """A WGS84 box (min_lon, min_lat, max_lon, max_lat)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def intersects(self, other: BoundingBox) -> bool:
        return not (
            other.min_lon > self.max_lon
            or other.max_lon < self.min_lon
            or other.min_lat > self.max_lat
            or other.max_lat < self.min_lat
        )


@dataclass(frozen=True)
class TurnoverFilter:
    """Which paystats count: months (inclusive, first of month), groups, postal codes, a box."""

    month_from: date | None = None
    month_to: date | None = None
    age_groups: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    postal_codes: tuple[str, ...] = ()
    bbox: BoundingBox | None = None


@dataclass(frozen=True)
class Legend:
    """Quantile class breaks over the postal codes that have turnover.

    Class 0 is "no turnover"; classes 1..n split the rest into quantiles (nearest rank, so every
    break is a real postal code's turnover).
    """

    breaks: tuple[Decimal, ...] = field(default_factory=tuple)

    @classmethod
    def quantiles(cls, turnovers: list[Decimal], classes: int) -> Legend:
        values = sorted(t for t in turnovers if t > 0)
        if not values:
            return cls(())
        ranks = [max(0, -(-len(values) * i // classes) - 1) for i in range(1, classes)]
        return cls((values[0], *(values[r] for r in ranks), values[-1]))

    def class_of(self, turnover: Decimal) -> int:
        if turnover <= 0 or not self.breaks:
            return 0
        return bisect_left(self.breaks[1:-1], turnover) + 1


@dataclass(frozen=True)
class GeometryOptions:
    """How to draw shapes: decimals kept and simplification tolerance (degrees; 0 = none);
    `drawn=False` leaves the geometry out (null) for a caller that has it already."""

    precision: int = 5
    simplify: float = 0.0
    drawn: bool = True


@dataclass(frozen=True)
class Window:
    """Which rows of an ordered read: skip `offset`, keep at most `limit` (None: all)."""

    offset: int = 0
    limit: int | None = None


@dataclass(frozen=True)
class PostalCodeShape:
    id: int
    code: str
    turnover: Decimal
    geometry: str | None  # GeoJSON text straight from PostGIS (None when not drawn)


@dataclass(frozen=True)
class TurnoverGroup:
    """The turnover of one group, e.g. keys {"month": "2015-01", "gender": "F"} (none: all),
    and, when compared with another period, that period's turnover."""

    keys: dict[str, str]
    turnover: Decimal
    previous: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.turnover - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        """The change as a percentage of the previous turnover (None when that is zero)."""
        if self.previous is None or self.previous == 0:
            return None
        return (self.turnover - self.previous) * 100 / self.previous


@dataclass(frozen=True)
class Period:
    """Months first..last, both inclusive (first of month)."""

    first: date
    last: date

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def within(self, first: date | None, last: date | None) -> Period:
        """This period narrowed to first..last (either None: not narrowed on that side)."""
        return Period(max(self.first, first or self.first), min(self.last, last or self.last))

    def previous(self) -> Period:
        """The period of as many months that ends the month before this one starts."""
        return Period(add_months(self.first, -self.months), add_months(self.first, -1))


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Ranking:
    """How groups are ordered and cut: by their keys (default) or by total, at most `limit`."""

    by_total: bool = False
    descending: bool = False
    limit: int | None = None

    def apply(self, groups: list[TurnoverGroup]) -> list[TurnoverGroup]:
        """Groups come in key order; sorting is stable, so ties by total stay in key order."""
        if self.by_total:
            ordered = sorted(groups, key=lambda g: g.turnover, reverse=self.descending)
        else:
            ordered = list(reversed(groups)) if self.descending else list(groups)
        return ordered[: self.limit] if self.limit is not None else ordered


@dataclass(frozen=True)
class Turnover:
    """A total and its groups; when compared, the other period and its total."""

    total: Decimal
    groups: list[TurnoverGroup]
    compared_with: Period | None = None
    previous_total: Decimal | None = None

    @property
    def summary(self) -> TurnoverGroup:
        return TurnoverGroup({}, self.total, self.previous_total)


@dataclass(frozen=True)
class Choropleth:
    shapes: list[PostalCodeShape]
    legend: Legend


@dataclass(frozen=True)
class PostalCodeDetail:
    shape: PostalCodeShape
    by_month: list[TurnoverGroup]
    by_age_gender: list[TurnoverGroup]


@dataclass(frozen=True)
class Region:
    """A region's outline (GeoJSON text, None when empty), its total and its breakdowns."""

    name: str
    geometry: str | None
    turnover: Decimal
    breakdowns: dict[str, list[TurnoverGroup]]  # e.g. "by_month": the groups by month


def tile_bounds(z: int, x: int, y: int) -> BoundingBox:
    """The WGS84 box of web-mercator tile z/x/y (XYZ scheme)."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return BoundingBox(x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y))


@dataclass(frozen=True)
class Coverage:
    """Where and when the data lies: the box around every postal code and the paystat months."""

    box: BoundingBox | None
    first_month: date | None
    last_month: date | None


@dataclass(frozen=True)
class PostalCodePage:
    """A slice of the postal codes matching a filter, how many match, and their legend."""

    shapes: list[PostalCodeShape]
    legend: Legend
    matched: int
    offset: int
    period: Period | None  # the months the turnover sums (None: no paystats)


EVERY_ROW = Window()
KEY_ORDER = Ranking()
NO_FILTER = TurnoverFilter()
