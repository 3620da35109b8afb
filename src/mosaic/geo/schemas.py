"""Query-string and path schemas of the geo API; every error names the allowed values."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

import marshmallow as ma

from mosaic.geo.domain import AGE_GROUPS, GENDERS, GROUP_KEYS, MAX_ZOOM, POSTAL_CODE_PATTERN
from mosaic.geo.domain import BoundingBox as Box

MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
BBOX_HELP = "four numbers minLon,minLat,maxLon,maxLat with min <= max, lon in ±180, lat in ±90"


class CommaList(ma.fields.String):
    """A comma-separated list of allowed values (or of values matching a pattern)."""

    def __init__(self, allowed: tuple[str, ...] = (), pattern: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allowed, self.pattern = allowed, pattern

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a tuple
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> tuple[str, ...]:
        # An empty item (e.g. "age=") means no constraint from it.
        items = tuple(dict.fromkeys(i.strip() for i in str(value).split(",") if i.strip()))
        for item in items:
            if self.allowed and item not in self.allowed:
                raise ma.ValidationError(
                    f"Unknown value {item!r}; allowed values: {', '.join(self.allowed)}."
                )
            if self.pattern and not re.fullmatch(self.pattern, item):
                raise ma.ValidationError(f"{item!r} is not a postal code; expected five digits.")
        return items


class Month(ma.fields.String):
    """YYYY-MM, deserialized to the first day of that month."""

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a date
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> date:
        found = MONTH.match(str(value))
        if not found or int(found.group(1)) < 1900:
            raise ma.ValidationError(f"{value!r} is not a month; expected YYYY-MM, e.g. 2015-03.")
        return date(int(found.group(1)), int(found.group(2)), 1)


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

    since = Month(data_key="from", **_example("2015-01", "First month included (YYYY-MM)."))
    until = Month(data_key="to", **_example("2015-06", "Last month included (YYYY-MM)."))
    age_groups = CommaList(
        AGE_GROUPS,
        data_key="age",
        **_example("25-34,35-44", f"Age groups: {', '.join(AGE_GROUPS)}."),
    )
    genders = CommaList(GENDERS, data_key="gender", **_example("F", "Genders: F, M."))

    @ma.validates_schema
    def _months_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
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
