"""GET /api/v1/postal-codes, /postal-codes/{code}, /postal-codes/at, /turnover, /regions/madrid
and vector tiles.

Every read is kept whole, rendered, per geo data revision and URL (`cached_response`): a hit
costs the revision read only. Not the point lookup: every click on the map is a new URL, so it
runs its one indexed query each time and takes the postal code's detail from the service, which
keeps it per code and revision.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from mosaic.geo.domain import GeometryOptions, TurnoverFilter
from mosaic.geo.openapi_docs import rest as docs
from mosaic.geo.schemas import features
from mosaic.geo.schemas.query import (
    ChoroplethQuery,
    FilterQuery,
    PointQuery,
    PostalCodePath,
    PostalCodeQuery,
    RankedTurnoverQuery,
    RegionQuery,
    TilePath,
)
from mosaic.geo.services.turnover import TurnoverService
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.cache import cached_response
from mosaic.platform.limits import limited_by
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

blueprint = Blueprint("geo", __name__, url_prefix="/api/v1")
GEOJSON = "application/geo+json"
MVT = "application/vnd.mapbox-vector-tile"
FILTERS = ("month_from", "month_to", "age_groups", "genders", "postal_codes", "bbox")


def _service() -> TurnoverService:
    return service(TurnoverService)


def _revision() -> Revision:
    return _service().revision


def _filter(args: dict[str, Any]) -> TurnoverFilter:
    return TurnoverFilter(**{name: args[name] for name in FILTERS if name in args})


def _geometry(args: dict[str, Any]) -> GeometryOptions:
    return GeometryOptions(precision=args["precision"], simplify=args["simplify"])


@blueprint.get("/postal-codes")
@operation(docs.POSTAL_CODES)
@read_access
@cached_response("geo", _revision)
@use_args(ChoroplethQuery(), location="query")
def list_postal_codes(args: dict[str, Any]) -> Response:
    found = _service().choropleth(_filter(args), _geometry(args), classes=args["classes"])
    return Response(features.choropleth(found), mimetype=GEOJSON)


@blueprint.get("/postal-codes/at")
@operation(docs.POSTAL_CODE_AT)
@read_access
@use_args(PointQuery(), location="query")
def get_postal_code_at(args: dict[str, Any]) -> Response:
    options = replace(_geometry(args), drawn=args["geometry"])
    found = _service().postal_code_at(args["lon"], args["lat"], _filter(args), options=options)
    return Response(features.postal_code(found), mimetype=GEOJSON)


@blueprint.get("/postal-codes/<code>")
@operation(docs.POSTAL_CODE)
@read_access
@cached_response("geo", _revision)
@use_args(PostalCodePath(), location="view_args")
@use_args(PostalCodeQuery(), location="query")
def get_postal_code(path: dict[str, Any], args: dict[str, Any], **_raw: str) -> Response:
    found = _service().postal_code(path["code"], _filter(args), options=_geometry(args))
    return Response(features.postal_code(found), mimetype=GEOJSON)


@blueprint.get("/turnover")
@operation(docs.TURNOVER)
@read_access
@cached_response("geo", _revision)
@use_args(RankedTurnoverQuery(), location="query")
def get_turnover(args: dict[str, Any]) -> Response:
    found = _service().turnover(
        _filter(args), args["group_by"], ranking=args["ranking"], compare=args.get("compare")
    )
    return jsonify(features.turnover(found))


@blueprint.get("/regions/madrid")
@operation(docs.MADRID)
@read_access
@cached_response("geo", _revision)
@use_args(RegionQuery(), location="query")
def get_madrid(args: dict[str, Any]) -> Response:
    found = _service().madrid(_filter(args), options=_geometry(args))
    return Response(features.region(found), mimetype=GEOJSON)


@blueprint.get("/tiles/postal-codes/<z>/<x>/<y>.mvt")
@operation(docs.TILE)
@limited_by("TILES_RATE_LIMIT")
@read_access
@cached_response("geo", _revision)
@use_args(TilePath(), location="view_args")
@use_args(FilterQuery(), location="query")
def get_tile(path: dict[str, Any], args: dict[str, Any], **_raw: str) -> Response:
    # Flask also passes the raw path values (_raw); the validated ones are in `path`.
    tile = _service().tile(path["z"], path["x"], path["y"], _filter(args))
    if not tile:
        return Response(status=204)  # nothing to draw here
    response = Response(tile, mimetype=MVT)
    # Anonymous tiles only: with a token (always, when reads need one) the platform makes it
    # `private, no-store` with `Vary: Authorization` (platform/headers.py).
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blueprint.get("/tiles/postal-codes.json")
@operation(docs.TILEJSON)
@read_access
@cached_response("geo", _revision)
def get_tilejson() -> Response:
    template = url_for("geo.get_tile", z="{z}", x="{x}", y="{y}", _external=True)
    template = template.replace("%7B", "{").replace("%7D", "}")
    return jsonify(features.tilejson(template, extent=_service().extent()))
