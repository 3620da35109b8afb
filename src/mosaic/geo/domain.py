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
    """How to draw shapes: decimals kept and simplification tolerance (degrees; 0 = none)."""

    precision: int = 5
    simplify: float = 0.0


@dataclass(frozen=True)
class PostalCodeShape:
    id: int
    code: str
    turnover: Decimal
    geometry: str  # GeoJSON text straight from PostGIS


@dataclass(frozen=True)
class TurnoverGroup:
    """The turnover of one group, e.g. keys {"month": "2015-01", "gender": "F"} (none: all)."""

    keys: dict[str, str]
    turnover: Decimal


@dataclass(frozen=True)
class Turnover:
    total: Decimal
    groups: list[TurnoverGroup]


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
