"""Query-string and path schemas of the geo API; every error names the allowed values."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import marshmallow as ma

from mosaic.geo.domain import (
    AGE_GROUPS,
    GENDERS,
    GROUP_KEYS,
    MAX_ZOOM,
    POSTAL_CODE_PATTERN,
    Period,
    Ranking,
)
from mosaic.geo.domain import BoundingBox as Box
from mosaic.platform.querystring import MONTH as MONTH_PATTERN
from mosaic.platform.querystring import CommaList, Month, Patterned

MAX_GROUPS = 1000
BBOX_HELP = "four numbers minLon,minLat,maxLon,maxLat with min <= max, lon in ±180, lat in ±90"
# Decimal degrees, their range in the pattern: -180 to 180, -90 to 90.
LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[0-9]{1,2})(?:\.[0-9]+)?)"
LAT = r"-?(?:90(?:\.0+)?|[0-8]?[0-9](?:\.[0-9]+)?)"
BBOX = re.compile(rf"^{LON},{LAT},{LON},{LAT}$")
MONTH = MONTH_PATTERN.pattern.strip("^$")
COMPARE = re.compile(rf"^(?:previous|{MONTH}/{MONTH})$")


class BoundingBox(Patterned):
    """minLon,minLat,maxLon,maxLat, documented (and first checked) by its pattern."""

    pattern = BBOX

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a box
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> Box:
        if not BBOX.match(str(value)):  # the 4 numbers (OgcBoundingBox's pattern also allows 6)
            raise ma.ValidationError(f"Expected {BBOX_HELP} (decimal degrees, e.g. -3.75).")
        box = Box(*(float(part) for part in str(value).split(",")))
        if box.min_lon > box.max_lon or box.min_lat > box.max_lat:
            raise ma.ValidationError(f"min is greater than max; expected {BBOX_HELP}.")
        return box


def _example(value: Any, description: str) -> dict[str, Any]:
    return {"metadata": {"example": value, "description": description}}


class FilterQuery(ma.Schema):
    """Which paystats count towards turnover."""

    month_from = Month(data_key="from", **_example("2015-01", "First month included (YYYY-MM)."))
    month_to = Month(data_key="to", **_example("2015-06", "Last month included (YYYY-MM)."))
    age_groups = CommaList(
        AGE_GROUPS,
        data_key="age",
        **_example("25-34,35-44", f"Age groups: {', '.join(AGE_GROUPS)}."),
    )
    genders = CommaList(GENDERS, data_key="gender", **_example("F", "Genders: F, M."))

    @ma.validates_schema
    def _months_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        month_from, month_to = data.get("month_from"), data.get("month_to")
        if month_from and month_to and month_from > month_to:
            raise ma.ValidationError("'from' is after 'to'; expected from <= to.", "from")


class ViewQuery(FilterQuery):
    bbox = BoundingBox(**_example("-3.75,40.38,-3.65,40.45", f"Intersecting box: {BBOX_HELP}."))


class GeometryQuery(ma.Schema):
    precision = ma.fields.Integer(
        load_default=5,
        validate=ma.validate.Range(0, 15, error="Must be an integer from 0 to 15."),
        **_example(5, "Decimals kept in coordinates (0-15)."),
    )
    simplify = ma.fields.Float(
        load_default=0.0,
        allow_nan=False,
        validate=ma.validate.Range(min=0, error="Must be a number >= 0 (degrees; 0 = none)."),
        **_example(0.0001, "Simplification tolerance in degrees (>= 0; 0 keeps every vertex)."),
    )


class ChoroplethQuery(ViewQuery, GeometryQuery):
    simplify = ma.fields.Float(
        load_default=0.0001,
        allow_nan=False,
        validate=ma.validate.Range(min=0, error="Must be a number >= 0 (degrees; 0 = none)."),
        **_example(0.0001, "Simplification tolerance in degrees (>= 0; default 0.0001, ~10 m)."),
    )
    classes = ma.fields.Integer(
        load_default=5,
        validate=ma.validate.Range(2, 10, error="Must be an integer from 2 to 10."),
        **_example(5, "Number of quantile classes in the legend (2-10)."),
    )


class RegionQuery(FilterQuery, GeometryQuery):
    pass


class PostalCodeQuery(FilterQuery, GeometryQuery):
    pass


class TurnoverQuery(ViewQuery):
    group_by = CommaList(
        GROUP_KEYS,
        load_default=(),
        **_example("month,gender", f"Group keys, any of: {', '.join(GROUP_KEYS)}."),
    )
    postal_codes = CommaList(
        pattern=POSTAL_CODE_PATTERN.pattern.strip("^$"),
        noun="a postal code; expected five digits",
        data_key="postal_code",
        **_example("28001,28002", "Postal codes (five digits each)."),
    )


class RankedTurnoverQuery(TurnoverQuery):
    """/turnover's query: the filters and keys, plus ranking and comparison."""

    sort = ma.fields.String(
        validate=ma.validate.Regexp(
            r"^-?(?:total|key)$", error="Expected total, -total, key or -key."
        ),
        **_example("-total", "total or key; a leading - sorts descending."),
    )
    limit = ma.fields.Integer(
        validate=ma.validate.Range(
            1, MAX_GROUPS, error=f"Must be an integer from 1 to {MAX_GROUPS}."
        ),
        **_example(10, f"Keep the first N groups after sorting (1-{MAX_GROUPS})."),
    )
    compare = ma.fields.String(
        metadata={
            "pattern": COMPARE.pattern,
            "example": "previous",
            "description": "previous, or another period YYYY-MM/YYYY-MM to compare with.",
        }
    )

    @ma.post_load
    def _ranking(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        sort = data.pop("sort", "key")
        data["ranking"] = Ranking(
            by_total=sort.lstrip("-") == "total",
            descending=sort.startswith("-"),
            limit=data.pop("limit", None),
        )
        if "compare" in data:
            data["compare"] = _comparison(data["compare"])
        return data


def _comparison(text: str) -> Period | str:
    if text == "previous":
        return text
    if not COMPARE.match(text):
        raise ma.ValidationError(
            "Expected previous or a period YYYY-MM/YYYY-MM, e.g. 2015-01/2015-03.", "compare"
        )
    found = [MONTH_PATTERN.match(part) for part in text.split("/")]
    first, last = (date(int(m.group(1)), int(m.group(2)), 1) for m in found if m)
    if first > last:
        raise ma.ValidationError("The period's first month is after its last.", "compare")
    return Period(first, last)


class PointQuery(PostalCodeQuery):
    geometry = ma.fields.Boolean(
        load_default=True,
        **_example(False, "false: leave the polygon out (a map that draws it already)."),
    )

    lon = ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=ma.validate.Range(-180, 180, error="Must be a longitude from -180 to 180."),
        **_example(-3.7038, "Longitude (WGS84 degrees)."),
    )
    lat = ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=ma.validate.Range(-90, 90, error="Must be a latitude from -90 to 90."),
        **_example(40.4168, "Latitude (WGS84 degrees)."),
    )


class PostalCodePath(ma.Schema):
    code = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(POSTAL_CODE_PATTERN, error="Expected five digits, e.g. 28001."),
        **_example("28001", "A Madrid postal code."),
    )


# The grid's bounds at the deepest zoom, documented; the bound at z is checked below.
_ON_THE_GRID = {"minimum": 0, "maximum": 2**MAX_ZOOM - 1}


class TilePath(ma.Schema):
    z = ma.fields.Integer(
        required=True,
        strict=False,
        validate=ma.validate.Range(0, MAX_ZOOM, error=f"Must be an integer from 0 to {MAX_ZOOM}."),
        **_example(12, f"Zoom level, 0-{MAX_ZOOM}."),
    )
    x = ma.fields.Integer(
        required=True,
        metadata={**_ON_THE_GRID, "example": 2005, "description": "Tile column, 0 to 2^z - 1."},
    )
    y = ma.fields.Integer(
        required=True,
        metadata={**_ON_THE_GRID, "example": 1544, "description": "Tile row (XYZ), 0 to 2^z - 1."},
    )

    @ma.validates_schema
    def _inside_the_grid(self, data: dict[str, Any], **_kwargs: Any) -> None:
        size = 2 ** data.get("z", 0)
        for axis in ("x", "y"):
            if axis in data and not 0 <= data[axis] < size:
                raise ma.ValidationError(
                    f"Must be an integer from 0 to {size - 1} at this zoom.", axis
                )
