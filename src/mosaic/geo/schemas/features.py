"""The documents the geo API sends, rendered from the services' data.

Amounts are JSON strings such as "1234.57": exact to the cent, never a binary float. GeoJSON is
written as text: geometries are pasted as PostGIS wrote them, never parsed again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mosaic.geo.domain import (
    BoundingBox,
    Choropleth,
    Legend,
    PostalCodeDetail,
    PostalCodeShape,
    Region,
    Turnover,
    TurnoverGroup,
    cents,
)


def groups(found: Sequence[TurnoverGroup]) -> list[dict[str, Any]]:
    return [{**group.keys, "turnover": cents(group.turnover)} for group in found]


def turnover(result: Turnover) -> dict[str, Any]:
    return {"total": cents(result.total), "groups": groups(result.groups)}


def choropleth(result: Choropleth) -> str:
    """The postal codes as a FeatureCollection, each with its legend class, and the legend."""
    legend = result.legend
    features = ",".join(_coloured(shape, legend) for shape in result.shapes)
    breaks = json.dumps([cents(b) for b in legend.breaks])
    return (
        f'{{"type":"FeatureCollection","legend":{{"method":"quantile",'
        f'"classes":{max(len(legend.breaks) - 1, 0)},"breaks":{breaks}}},'
        f'"features":[{features}]}}'
    )


def _coloured(shape: PostalCodeShape, legend: Legend) -> str:
    properties = json.dumps(
        {
            "code": shape.code,
            "turnover": cents(shape.turnover),
            "legend_class": legend.class_of(shape.turnover),
        },
        separators=(",", ":"),
    )
    return (
        f'{{"type":"Feature","id":{shape.id},"properties":{properties},'
        f'"geometry":{shape.geometry}}}'
    )


def postal_code(detail: PostalCodeDetail) -> str:
    shape = detail.shape
    properties = {
        "code": shape.code,
        "turnover": cents(shape.turnover),
        "by_month": groups(detail.by_month),
        "by_age_gender": groups(detail.by_age_gender),
    }
    return _feature(shape.geometry, properties, feature_id=shape.id)


def region(found: Region) -> str:
    properties: dict[str, Any] = {"name": found.name, "turnover": cents(found.turnover)}
    properties |= {name: groups(found_groups) for name, found_groups in found.breakdowns.items()}
    return _feature(found.geometry, properties)


def _feature(geometry: str | None, properties: dict[str, Any], *, feature_id: Any = None) -> str:
    document = {"type": "Feature", "id": feature_id, "properties": properties}
    if feature_id is None:
        del document["id"]
    text = json.dumps(document, separators=(",", ":"))
    return text[:-1] + f',"geometry":{geometry or "null"}}}'


TILE_ZOOMS = (8, 16)  # the city fills a screen from 8; past 16 clients overzoom the 16 tiles
WORLD = BoundingBox(-180, -85.0511, 180, 85.0511)


def tilejson(template: str, *, extent: BoundingBox | None) -> dict[str, Any]:
    """TileJSON 3.0 of the postal-code tiles, whose URLs follow `template` ({z}/{x}/{y}).

    The bounds are the data's, so that clients ask only for tiles that have something in them.
    """
    box = extent or WORLD
    center = [round((box.min_lon + box.max_lon) / 2, 5), round((box.min_lat + box.max_lat) / 2, 5)]
    bounds = [round(v, 5) for v in (box.min_lon, box.min_lat, box.max_lon, box.max_lat)]
    return {
        "tilejson": "3.0.0",
        "name": "postal_codes",
        "description": "Madrid postal codes with their turnover",
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": TILE_ZOOMS[0],
        "maxzoom": TILE_ZOOMS[1],
        "bounds": bounds,
        "center": [*center, 11],
        "vector_layers": [
            {"id": "postal_codes", "fields": {"code": "String", "turnover": "String"}}
        ],
    }
