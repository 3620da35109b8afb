"""GET /api/v1/postal-codes, /postal-codes/{code}, /turnover, /regions/madrid and vector tiles."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for
from flask.typing import ResponseReturnValue

from mosaic.geo import openapi_docs as docs
from mosaic.geo.domain import MAX_ZOOM, TurnoverFilter
from mosaic.geo.geometries import GeometryOptions
from mosaic.geo.schemas import (
    ChoroplethQuery,
    FilterQuery,
    GeometryQuery,
    PostalCodePath,
    PostalCodeQuery,
    TilePath,
    TurnoverQuery,
)
from mosaic.geo.services import Cached, TurnoverService
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args
from mosaic.platform.wiring import service

blueprint = Blueprint("geo", __name__, url_prefix="/api/v1")
GEOJSON = "application/geo+json"
MVT = "application/vnd.mapbox-vector-tile"


def _service() -> TurnoverService:
    return service(TurnoverService)


def _filter(args: dict[str, Any]) -> TurnoverFilter:
    keys = ("since", "until", "age_groups", "genders", "postal_codes", "bbox")
    return TurnoverFilter(**{k: args[k] for k in keys if k in args})


def _geometry(args: dict[str, Any]) -> GeometryOptions:
    return GeometryOptions(precision=args["precision"], simplify=args["simplify"])


def _send(result: Cached[Any], mimetype: str) -> Response:
    body = result.value
    response = jsonify(body) if isinstance(body, dict) else Response(body, mimetype=mimetype)
    response.set_etag(result.key[:32])
    return response


@blueprint.get("/postal-codes")
@operation(docs.POSTAL_CODES)
@read_access
@use_args(ChoroplethQuery(), location="query")
def list_postal_codes(args: dict[str, Any]) -> ResponseReturnValue:
    result = _service().choropleth(_filter(args), _geometry(args), classes=args["classes"])
    return _send(result, GEOJSON)


@blueprint.get("/postal-codes/<code>")
@operation(docs.POSTAL_CODE)
@read_access
@use_args(PostalCodePath(), location="view_args")
@use_args(PostalCodeQuery(), location="query")
def get_postal_code(path: dict[str, Any], args: dict[str, Any], **_raw: str) -> ResponseReturnValue:
    result = _service().postal_code(path["code"], _filter(args), _geometry(args))
    return _send(result, GEOJSON)


@blueprint.get("/turnover")
@operation(docs.TURNOVER)
@read_access
@use_args(TurnoverQuery(), location="query")
def get_turnover(args: dict[str, Any]) -> ResponseReturnValue:
    return _send(_service().turnover(_filter(args), args["group_by"]), "application/json")


@blueprint.get("/regions/madrid")
@operation(docs.MADRID)
@read_access
@use_args(GeometryQuery(), location="query")
def get_madrid(args: dict[str, Any]) -> ResponseReturnValue:
    return _send(_service().madrid(_geometry(args)), GEOJSON)


@blueprint.get("/tiles/postal-codes/<z>/<x>/<y>.mvt")
@operation(docs.TILE)
@read_access
@use_args(TilePath(), location="view_args")
@use_args(FilterQuery(), location="query")
def get_tile(path: dict[str, Any], args: dict[str, Any], **_raw: str) -> ResponseReturnValue:
    # Flask also passes the raw path values (_raw); the validated ones are in `path`.
    result = _service().tile(path["z"], path["x"], path["y"], _filter(args))
    if not result.value:
        return Response(status=204)  # nothing to draw here
    response = _send(result, MVT)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blueprint.get("/tiles/postal-codes.json")
@operation(docs.TILEJSON)
@read_access
def get_tilejson() -> ResponseReturnValue:
    template = url_for("geo.get_tile", z="{z}", x="{x}", y="{y}", _external=True)
    return jsonify(docs.tilejson(template.replace("%7B", "{").replace("%7D", "}"), MAX_ZOOM))
