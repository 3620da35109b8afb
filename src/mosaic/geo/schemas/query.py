"""Query-string and path schemas of the geo API; every error names the allowed values."""

from __future__ import annotations

import math
from typing import Any

import marshmallow as ma

from mosaic.geo.domain import AGE_GROUPS, GENDERS, GROUP_KEYS, MAX_ZOOM, POSTAL_CODE_PATTERN
from mosaic.geo.domain import BoundingBox as Box
from mosaic.platform.querystring import CommaList, Month

BBOX_HELP = "four numbers minLon,minLat,maxLon,maxLat with min <= max, lon in ±180, lat in ±90"


class BoundingBox(ma.fields.String):
    def _deserialize(  # type: ignore[override]  # documented as a string, loads a box
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> Box:
        parts = str(value).split(",")
        try:
            numbers = [float(p) for p in parts]
        except ValueError as error:
            raise ma.ValidationError(f"Not numbers; expected {BBOX_HELP}.") from error
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
            raise ma.ValidationError(f"Expected {BBOX_HELP}.")
        box = Box(*numbers)
        if box.min_lon > box.max_lon or box.min_lat > box.max_lat:
            raise ma.ValidationError(f"min is greater than max; expected {BBOX_HELP}.")
        if (
            max(abs(box.min_lat), abs(box.max_lat)) > 90
            or max(abs(box.min_lon), abs(box.max_lon)) > 180
        ):
            raise ma.ValidationError(f"Out of range; expected {BBOX_HELP}.")
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


class PostalCodePath(ma.Schema):
    code = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(POSTAL_CODE_PATTERN, error="Expected five digits, e.g. 28001."),
        **_example("28001", "A Madrid postal code."),
    )


class TilePath(ma.Schema):
    z = ma.fields.Integer(
        required=True,
        strict=False,
        validate=ma.validate.Range(0, MAX_ZOOM, error=f"Must be an integer from 0 to {MAX_ZOOM}."),
        **_example(12, f"Zoom level, 0-{MAX_ZOOM}."),
    )
    x = ma.fields.Integer(required=True, **_example(2005, "Tile column, 0 to 2^z - 1."))
    y = ma.fields.Integer(required=True, **_example(1544, "Tile row (XYZ), 0 to 2^z - 1."))

    @ma.validates_schema
    def _inside_the_grid(self, data: dict[str, Any], **_kwargs: Any) -> None:
        size = 2 ** data.get("z", 0)
        for axis in ("x", "y"):
            if axis in data and not 0 <= data[axis] < size:
                raise ma.ValidationError(
                    f"Must be an integer from 0 to {size - 1} at this zoom.", axis
                )
