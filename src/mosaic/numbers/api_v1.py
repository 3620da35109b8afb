"""/api/v1/numbers: the collection, in the frontend's mock schema (a bare array per list).

The item routes (/api/v1/numbers/{id}) are in api_v1_items.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue

from mosaic.numbers import http
from mosaic.numbers.openapi_docs import VersionDocs
from mosaic.numbers.queries import NumberQuery
from mosaic.numbers.schemas_v1 import (
    NumberCreateV1,
    NumberQueryV1,
    NumberReadV1,
)
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v1", __name__, url_prefix="/api/v1/numbers")
READ, READ_MANY = NumberReadV1(), NumberReadV1(many=True)

_V1_NUMBER = {
    "value": "+55 84 91234-4321",
    "monthyPrice": "0.03",
    "setupPrice": "3.40",
    "currency": "U$",
}
DOCS = VersionDocs(
    version="v1",
    list_summary="A page of numbers, as a bare JSON array (the mock's shape)",
    list_schema="{type: array, items: NumberReadV1}",
    list_example=[{"id": 42, **_V1_NUMBER}],
    create_example=_V1_NUMBER,
    read_example={"id": 42, **_V1_NUMBER},
    changed_example={"id": 42, **_V1_NUMBER, "monthyPrice": "0.05"},
    patch_example={"monthyPrice": "0.05"},
)


@blueprint.get("")
@operation(DOCS.list)
@read_access
@http.cached_page("v1")
@use_args(NumberQueryV1(), location="query", unknown=ma.RAISE)
def list_numbers(query: NumberQuery) -> ResponseReturnValue:
    page = http.catalog().list(query)
    items = READ_MANY.dump(page.items)
    links = http.links_of(query, page)
    return http.listed(items, page=page, links=links)


@blueprint.post("")
@operation(DOCS.create)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV1), location="json")
def create_number(fields: dict[str, Any]) -> ResponseReturnValue:
    number = http.numbers().create(fields)
    location = url_for("numbers_v1_items.get_number", number_id=number.id)
    return http.represent(READ.dump(number), number, status=201, location=location)


@blueprint.post("/batch")
@operation(DOCS.batch)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV1, many=True), location="json")
def create_numbers(items: list[dict[str, Any]]) -> ResponseReturnValue:
    return READ_MANY.dump(http.numbers().create_many(http.batch(items))), 201
