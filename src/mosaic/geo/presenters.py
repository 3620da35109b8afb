"""Turn read-side results into the documents the API sends (amounts as exact cent strings).

Amounts are JSON strings such as "1234.57": exact to the cent, never a binary float.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from mosaic.geo.domain import Legend, cents
from mosaic.geo.geometries import PostalCodeShape


def groups(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "turnover": cents(row["turnover"])} for row in rows]


def turnover(rows: Sequence[dict[str, Any]], group_by: Sequence[str]) -> dict[str, Any]:
    total = sum((row["turnover"] for row in rows), Decimal(0))
    return {"total": cents(total), "groups": groups(rows) if group_by else []}


def feature_collection(shapes: Sequence[PostalCodeShape], legend: Legend) -> str:
    """The choropleth as GeoJSON text; geometries are pasted as PostGIS wrote them (no reparse)."""
    features = ",".join(_feature(shape, legend) for shape in shapes)
    breaks = json.dumps([cents(b) for b in legend.breaks])
    return (
        f'{{"type":"FeatureCollection","legend":{{"method":"quantile",'
        f'"classes":{max(len(legend.breaks) - 1, 0)},"breaks":{breaks}}},'
        f'"features":[{features}]}}'
    )


def _feature(shape: PostalCodeShape, legend: Legend) -> str:
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


def feature(geometry: str | None, properties: dict[str, Any], *, feature_id: Any = None) -> str:
    document = {"type": "Feature", "id": feature_id, "properties": properties}
    if feature_id is None:
        del document["id"]
    text = json.dumps(document, separators=(",", ":"))
    return text[:-1] + f',"geometry":{geometry or "null"}}}'
