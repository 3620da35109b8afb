"""OGC API - Features (Part 1: Core, GeoJSON): the query strings /ogc accepts and the documents
it sends. Unknown parameters are refused (the standard's rule); `datetime` maps to paystat months.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import marshmallow as ma

from mosaic.geo.domain import POSTAL_CODE_PATTERN, Coverage, PostalCodePage, Region, cents
from mosaic.geo.schemas.query import LAT, LON, BoundingBox
from mosaic.platform.querystring import Patterned, QuerySchema

MAX_LIMIT = 1000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.1"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
MAX_INTEGER = 2**31 - 1  # what PostgreSQL's LIMIT and OFFSET are compared with here
DATETIME_HELP = (
    "an RFC 3339 date or date-time, or an interval start/end where either end may be .. or empty"
)
_DAY = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_INSTANT = rf"{_DAY}(?:T(?:{_TIME}{_OFFSET}?)?)?"  # "2015-03-01T": GDAL's bare date
INSTANT = re.compile(rf"{_DAY}(?:T{_TIME}{_OFFSET}?)?")
DATETIME = re.compile(rf"^(?:{_INSTANT}(?:/(?:{_INSTANT}|\.\.)?)?|(?:\.\.)?/{_INSTANT})$")
_HEIGHT = r"-?[0-9]+(?:\.[0-9]+)?"
OGC_BBOX = re.compile(rf"^(?:{LON},{LAT},{LON},{LAT}|{LON},{LAT},{_HEIGHT},{LON},{LAT},{_HEIGHT})$")


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str


COLLECTIONS = {
    "postal-codes": Collection(
        "postal-codes",
        "Madrid postal codes",
        "The 101 postal codes of Madrid with the card-payment turnover of the months asked "
        "(datetime) and their quantile legend class (0: no turnover).",
    ),
    "madrid": Collection(
        "madrid", "Madrid", "The union of every postal code with Madrid's total turnover."
    ),
}


def _example(value: Any, description: str) -> dict[str, Any]:
    return {"metadata": {"example": value, "description": description}}


class OgcBoundingBox(BoundingBox):
    """OGC's bbox: four numbers, or six whose heights are ignored (the data is 2D)."""

    pattern = OGC_BBOX

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        parts = str(value).split(",")
        if len(parts) == 6:
            parts = [parts[0], parts[1], parts[3], parts[4]]
        return super()._deserialize(",".join(parts), attr, data, **kwargs)


def _moment(text: str) -> date | None:
    """The day of an interval's end ("" and ".." leave it open)."""
    if text in ("", ".."):
        return None
    text = text.removesuffix("T")  # GDAL's OAPIF driver sends a bare date as 2015-03-01T
    if not INSTANT.fullmatch(text):
        raise ma.ValidationError(f"{text!r} is not a date; expected {DATETIME_HELP}.")
    try:
        return (
            datetime.fromisoformat(text).date() if "T" in text.upper() else date.fromisoformat(text)
        )
    except ValueError as error:
        raise ma.ValidationError(f"{text!r} is not a date; expected {DATETIME_HELP}.") from error


class Datetime(Patterned):
    """An instant or an interval, loaded as the (first, last) months it touches."""

    pattern = DATETIME

    def _deserialize(  # type: ignore[override]  # documented as a string, loads two months
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> tuple[date | None, date | None]:
        parts = str(value).split("/")
        if len(parts) > 2 or parts in ([""], ["", ""], ["..", ".."]):
            raise ma.ValidationError(f"Expected {DATETIME_HELP}.")
        start, end = _moment(parts[0]), _moment(parts[-1])
        if len(parts) == 1 and start is None:
            raise ma.ValidationError(f"Expected {DATETIME_HELP}.")
        if start and end and start > end:
            raise ma.ValidationError("The interval's start is after its end.")
        return (start.replace(day=1) if start else None, end.replace(day=1) if end else None)


class FormatQuery(QuerySchema):
    """What every /ogc resource accepts: `f`, the format (JSON is the only one)."""

    f = ma.fields.String(
        validate=ma.validate.OneOf(["json", "geojson"], error="Must be json or geojson."),
        **_example("json", "The format (JSON, GeoJSON for features, is the only one)."),
    )


class ItemsQuery(FormatQuery):
    """The items of a collection: a page (limit, offset), a box and a time."""

    limit = ma.fields.Integer(
        load_default=10,
        validate=ma.validate.Range(
            min=1, max=MAX_INTEGER, error=f"Must be an integer from 1 to {MAX_INTEGER}."
        ),
        **_example(100, f"Features per page, 1 to {MAX_LIMIT} (larger values mean {MAX_LIMIT})."),
    )
    offset = ma.fields.Integer(
        load_default=0,
        validate=ma.validate.Range(
            min=0, max=MAX_INTEGER, error=f"Must be an integer from 0 to {MAX_INTEGER}."
        ),
        **_example(0, "Features skipped (the next/prev links carry it)."),
    )
    bbox = OgcBoundingBox(
        **_example("-3.72,40.40,-3.68,40.43", "CRS84 box minLon,minLat,maxLon,maxLat.")
    )
    datetime = Datetime(
        **_example("2015-03-01/2015-05-31", f"Paystat months summed: {DATETIME_HELP}.")
    )

    @ma.post_load
    def _months(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        data["limit"] = min(data["limit"], MAX_LIMIT)  # the standard: clamp, never refuse
        first, last = data.pop("datetime", (None, None))
        data |= {"month_from": first, "month_to": last}
        return data


class PostalCodeItemsQuery(ItemsQuery):
    code = ma.fields.String(
        validate=ma.validate.Regexp(POSTAL_CODE_PATTERN, error="Expected five digits, e.g. 28001."),
        **_example("28001", "Only the feature with this postal code."),
    )


class ItemQuery(FormatQuery):
    datetime = ItemsQuery().fields["datetime"]

    @ma.post_load
    def _months(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        first, last = data.pop("datetime", (None, None))
        return data | {"month_from": first, "month_to": last}


def landing(base: str, service_desc: str) -> dict[str, Any]:
    return {
        "title": "Mosaic: Madrid postal codes and turnover",
        "description": "OGC API - Features (Part 1: Core, GeoJSON) over Mosaic's geo data.",
        "links": [
            link(base, "self", JSON, "This document"),
            link(service_desc, "service-desc", OPENAPI, "The API definition (OpenAPI 3.1)"),
            link(f"{base}/conformance", "conformance", JSON, "Conformance classes met"),
            link(f"{base}/collections", "data", JSON, "The collections"),
        ],
    }


def collections(found: list[dict[str, Any]], base: str) -> dict[str, Any]:
    own = f"{base}/collections"
    return {"links": [link(own, "self", JSON, "The collections")], "collections": found}


def link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def collection(found: Collection, coverage: Coverage, base: str) -> dict[str, Any]:
    """A collection's description with its extent in space (CRS84) and time."""
    own = f"{base}/collections/{found.id}"
    extent: dict[str, Any] = {}
    if coverage.box:
        box = coverage.box
        extent["spatial"] = {
            "bbox": [[box.min_lon, box.min_lat, box.max_lon, box.max_lat]],
            "crs": CRS84,
        }
    if coverage.first_month and coverage.last_month:
        interval = _interval(coverage.first_month, coverage.last_month)
        extent["temporal"] = {"interval": [interval], "trs": GREGORIAN}
    return {
        "id": found.id,
        "title": found.title,
        "description": found.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent,
        "links": [
            link(own, "self", JSON, "This collection"),
            link(f"{own}/items", "items", GEOJSON, f"{found.title} (GeoJSON)"),
        ],
    }


def _last_day(month: date) -> str:
    return f"{month:%Y-%m}-{calendar.monthrange(month.year, month.month)[1]:02d}"


def _interval(first: date, last: date) -> list[str]:
    """From the first instant of the first month to the last second of the last one."""
    return [f"{first:%Y-%m-%d}T00:00:00Z", f"{_last_day(last)}T23:59:59Z"]


def postal_code_features(found: PostalCodePage) -> list[str]:
    """Features with their turnover, legend class and the days it sums (dates GDAL filters on)."""
    period = found.period
    days = {
        "period_start": f"{period.first:%Y-%m-%d}" if period else None,
        "period_end": _last_day(period.last) if period else None,
    }
    return [
        _feature(
            shape.code,
            {
                "code": shape.code,
                "turnover": cents(shape.turnover),
                "legend_class": found.legend.class_of(shape.turnover),
                **days,
            },
            shape.geometry,
        )
        for shape in found.shapes
    ]


def madrid_feature(found: Region) -> str:
    return _feature(
        "madrid", {"name": found.name, "turnover": cents(found.turnover)}, found.geometry
    )


def _feature(feature_id: str, properties: dict[str, Any], geometry: str | None) -> str:
    text = json.dumps({"type": "Feature", "id": feature_id, "properties": properties})
    return text[:-1] + f', "geometry": {geometry or "null"}}}'


@dataclass(frozen=True)
class Paging:
    """Where a page is: `url(offset)` is its own URL at another offset (None: as requested)."""

    offset: int
    limit: int
    url: Callable[[int | None], str]

    def links(self, returned: int, matched: int) -> list[dict[str, str]]:
        found = [link(self.url(None), "self", GEOJSON, "This page")]
        if self.offset + returned < matched:
            found.append(link(self.url(self.offset + returned), "next", GEOJSON, "Next page"))
        if self.offset > 0:
            previous = max(0, self.offset - self.limit)
            found.append(link(self.url(previous), "prev", GEOJSON, "Previous page"))
        return found


def feature_collection(features: list[str], *, matched: int, paging: Paging) -> str:
    """One page of items with its counts, when it was made, and the links around it."""
    envelope = json.dumps(
        {
            "type": "FeatureCollection",
            "numberMatched": matched,
            "numberReturned": len(features),
            "timeStamp": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}",
            "links": paging.links(len(features), matched),
        }
    )
    return envelope[:-1] + f', "features": [{",".join(features)}]}}'
