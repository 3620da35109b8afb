"""OGC API - Features, Part 1: Core + GeoJSON, under /ogc: what QGIS and GDAL's OAPIF driver open
with the URL alone. The same service and read side as /api/v1/postal-codes.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, Response, jsonify, request, url_for

from mosaic.geo.domain import POSTAL_CODE_PATTERN, GeometryOptions, TurnoverFilter, Window
from mosaic.geo.openapi_docs import ogc as docs
from mosaic.geo.schemas import ogc
from mosaic.geo.services.turnover import TurnoverService
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.cache import cached_response
from mosaic.platform.errors import NotFound
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import parser, use_args
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

blueprint = Blueprint("ogc", __name__, url_prefix="/ogc")
# Full detail for GIS tools: 6 decimals (~0.1 m), no simplification.
FULL_DETAIL = GeometryOptions(precision=6, simplify=0.0)
LEGEND_CLASSES = 5


class UnknownCollection(NotFound):
    def __init__(self, collection_id: str) -> None:
        known = ", ".join(ogc.COLLECTIONS)
        super().__init__(f"No collection {collection_id!r}; the collections are {known}.")


class UnknownFeature(NotFound):
    def __init__(self, collection_id: str, feature_id: str) -> None:
        super().__init__(f"No feature {feature_id!r} in the collection {collection_id!r}.")


def _service() -> TurnoverService:
    return service(TurnoverService)


def _revision() -> Revision:
    return _service().revision


def _base() -> str:
    return url_for("ogc.get_landing_page", _external=True).rstrip("/")


def _collection(collection_id: str) -> ogc.Collection:
    if collection_id not in ogc.COLLECTIONS:
        raise UnknownCollection(collection_id)
    return ogc.COLLECTIONS[collection_id]


def _filter(args: dict[str, Any]) -> TurnoverFilter:
    code = args.get("code")
    return TurnoverFilter(
        month_from=args["month_from"],
        month_to=args["month_to"],
        postal_codes=(code,) if code else (),
        bbox=args.get("bbox"),
    )


def _page_url(offset: int | None) -> str:
    args = request.args.to_dict() | ({} if offset is None else {"offset": str(offset)})
    return url_for(request.endpoint or "", **(request.view_args or {}), **args, _external=True)


def _items_schema(collection_id: str) -> ma.Schema:
    schema = ogc.PostalCodeItemsQuery if collection_id == "postal-codes" else ogc.ItemsQuery
    return schema()


@blueprint.get("")
@operation(docs.LANDING_PAGE)
@read_access
@use_args(ogc.FormatQuery(), location="query")
def get_landing_page(_args: dict[str, Any]) -> Response:
    return jsonify(ogc.landing(_base(), url_for("openapi.document", _external=True)))


@blueprint.get("/conformance")
@operation(docs.CONFORMANCE)
@read_access
@use_args(ogc.FormatQuery(), location="query")
def get_conformance(_args: dict[str, Any]) -> Response:
    return jsonify({"conformsTo": ogc.CONFORMANCE})


@blueprint.get("/collections")
@operation(docs.COLLECTIONS)
@read_access
@cached_response("geo", _revision)
@use_args(ogc.FormatQuery(), location="query")
def list_collections(_args: dict[str, Any]) -> Response:
    coverage, base = _service().coverage(), _base()
    found = [ogc.collection(c, coverage, base) for c in ogc.COLLECTIONS.values()]
    return jsonify(ogc.collections(found, base))


@blueprint.get("/collections/<collection_id>")
@operation(docs.COLLECTION)
@read_access
@cached_response("geo", _revision)
@use_args(ogc.FormatQuery(), location="query")
def get_collection(_args: dict[str, Any], collection_id: str) -> Response:
    found = _collection(collection_id)
    return jsonify(ogc.collection(found, _service().coverage(), _base()))


@blueprint.get("/collections/<collection_id>/items")
@operation(docs.ITEMS)
@read_access
@cached_response("geo", _revision)
def list_items(collection_id: str) -> Response:
    _collection(collection_id)
    args = parser.parse(_items_schema(collection_id), location="query")
    paging = ogc.Paging(args["offset"], args["limit"], _page_url)
    window = Window(offset=args["offset"], limit=args["limit"])
    if collection_id == "postal-codes":
        page = _service().postal_code_page(
            _filter(args), FULL_DETAIL, window=window, classes=LEGEND_CLASSES
        )
        features, matched = ogc.postal_code_features(page), page.matched
    else:
        region = _service().madrid_within(_filter(args), FULL_DETAIL)
        everything = [ogc.madrid_feature(region)] if region else []
        features, matched = everything[window.offset :][: window.limit], len(everything)
    body = ogc.feature_collection(features, matched=matched, paging=paging)
    return Response(body, mimetype=ogc.GEOJSON)


@blueprint.get("/collections/<collection_id>/items/<feature_id>")
@operation(docs.ITEM)
@read_access
@cached_response("geo", _revision)
@use_args(ogc.ItemQuery(), location="query")
def get_item(args: dict[str, Any], collection_id: str, feature_id: str) -> Response:
    _collection(collection_id)
    wanted = _filter(args)
    if collection_id == "madrid":
        region = _service().madrid(wanted, options=FULL_DETAIL) if feature_id == "madrid" else None
        if region is None:
            raise UnknownFeature(collection_id, feature_id)
        return Response(ogc.madrid_feature(region), mimetype=ogc.GEOJSON)
    if not POSTAL_CODE_PATTERN.match(feature_id):
        raise UnknownFeature(collection_id, feature_id)
    page = _service().postal_code_page(
        TurnoverFilter(wanted.month_from, wanted.month_to, postal_codes=(feature_id,)),
        FULL_DETAIL,
        window=Window(),
        classes=LEGEND_CLASSES,
    )
    if not page.shapes:
        raise UnknownFeature(collection_id, feature_id)
    return Response(ogc.postal_code_features(page)[0], mimetype=ogc.GEOJSON)
