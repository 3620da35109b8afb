"""Read side for shapes: choropleth rows, one postal code, the union of Madrid, vector tiles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, select

from mosaic.geo.domain import GeometryOptions, PostalCodeShape, TurnoverFilter
from mosaic.geo.queries.turnover import PC, per_postal_code, postal_code_conditions

TILE_EXTENT = 4096
TILE_BUFFER = 64
TILE_LAYER = "postal_codes"


def _geojson(geometry: Any, options: GeometryOptions) -> ColumnElement[str]:
    if options.simplify > 0:
        geometry = func.ST_SimplifyPreserveTopology(geometry, options.simplify)
    # Rounding coordinates alone can make rings cross; snapping to the same grid keeps them valid.
    # ST_Multi: simplifying may turn a one-part MultiPolygon into a Polygon.
    snapped = func.ST_Multi(func.ST_ReducePrecision(geometry, 10.0**-options.precision))
    return func.ST_AsGeoJSON(snapped, options.precision)


def postal_code_shapes(
    connection: Connection, wanted: TurnoverFilter, options: GeometryOptions
) -> list[PostalCodeShape]:
    """Every postal code matching `wanted` (codes without paystats get turnover 0)."""
    rows = connection.execute(postal_code_shapes_statement(wanted, options)).mappings()
    return [PostalCodeShape(**row) for row in rows]


def postal_code_shapes_statement(wanted: TurnoverFilter, options: GeometryOptions) -> Select[Any]:
    totals = per_postal_code(wanted)
    return (
        select(
            PC.id,
            PC.code,
            func.coalesce(totals.c.turnover, 0).label("turnover"),
            _geojson(PC.geom, options).label("geometry"),
        )
        .outerjoin(totals, totals.c.postal_code_id == PC.id)
        .where(*postal_code_conditions(wanted))
        .order_by(PC.code)
    )


def madrid_union(connection: Connection, options: GeometryOptions) -> str | None:
    """The union of every postal code as one valid MultiPolygon (GeoJSON text)."""
    union = func.ST_Multi(func.ST_CollectionExtract(func.ST_MakeValid(func.ST_Union(PC.geom)), 3))
    found: str | None = connection.scalar(select(_geojson(union, options)))
    return found


def postal_code_tile(
    connection: Connection, tile: tuple[int, int, int], wanted: TurnoverFilter
) -> bytes:
    """A Mapbox Vector Tile (layer `postal_codes`: code, turnover in cents as text)."""
    envelope = func.ST_TileEnvelope(*tile)
    totals = per_postal_code(wanted)
    features = (
        select(
            func.ST_AsMVTGeom(
                func.ST_Transform(PC.geom, 3857), envelope, TILE_EXTENT, TILE_BUFFER, True
            ).label("geom"),
            PC.code,
            func.round(func.coalesce(totals.c.turnover, 0), 2).label("turnover"),
        )
        .outerjoin(totals, totals.c.postal_code_id == PC.id)
        .where(PC.geom.op("&&")(func.ST_Transform(envelope, 4326)))
        .subquery("tile")
    )
    statement = select(
        func.ST_AsMVT(features.table_valued(), TILE_LAYER, TILE_EXTENT, "geom")
    ).select_from(features)
    found = connection.scalar(statement)
    return bytes(found) if found is not None else b""
