"""/api/v2/numbers: the collection in the corrected schema (Money prices, E.164, links).

The list is an envelope {"items", "total", "links"}; the same Link and X-Total-Count headers
as v1 are sent too.

The item routes (/api/v2/numbers/{id}) are in api_v2_items.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue

from mosaic.numbers import http
from mosaic.numbers.openapi_docs import VersionDocs
from mosaic.numbers.queries import NumberQuery
from mosaic.numbers.schemas_v2 import (
    NumberCreateV2,
    NumberQueryV2,
    NumberReadV2,
)
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v2", __name__, url_prefix="/api/v2/numbers")
READ, READ_MANY = NumberReadV2(), NumberReadV2(many=True)

_V2_NUMBER = {
    "value": "+5584912344321",
    "monthlyPrice": {"amount": "0.03", "currency": "USD"},
    "setupPrice": {"amount": "3.40", "currency": "USD"},
}
_V2_CHANGE = {"monthlyPrice": {"amount": "0.05", "currency": "USD"}}
_V2_READ = {"id": 42, **_V2_NUMBER, "links": {"self": "/api/v2/numbers/42"}}

DOCS = VersionDocs(
    version="v2",
    list_summary="A page of numbers in an envelope with the total and the page links",
    list_schema="NumberListV2",
    list_example={
        "items": [_V2_READ],
        "total": 800,
        "links": {
            "first": "/api/v2/numbers?page=1",
            "next": "/api/v2/numbers?page=2",
            "last": "/api/v2/numbers?page=16",
        },
    },
    create_example=_V2_NUMBER,
    read_example=_V2_READ,
    changed_example={**_V2_READ, **_V2_CHANGE},
    patch_example=_V2_CHANGE,
)


@blueprint.get("")
@operation(DOCS.list)
@read_access
@http.cached_page("v2")
@use_args(NumberQueryV2(), location="query", unknown=ma.RAISE)
def list_numbers(query: NumberQuery) -> ResponseReturnValue:
    page = http.catalog().list(query)
    items = READ_MANY.dump(page.items)
    links = http.links_of(query, page)
    body = {"items": items, "total": page.total, "links": links}
    return http.listed(body, page=page, links=links)


@blueprint.post("")
@operation(DOCS.create)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV2), location="json")
def create_number(fields: dict[str, Any]) -> ResponseReturnValue:
    number = http.numbers().create(fields)
    location = url_for("numbers_v2_items.get_number", number_id=number.id)
    return http.represent(READ.dump(number), number, status=201, location=location)


@blueprint.post("/batch")
@operation(DOCS.batch)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV2, many=True), location="json")
def create_numbers(items: list[dict[str, Any]]) -> ResponseReturnValue:
    return READ_MANY.dump(http.numbers().create_many(http.batch(items))), 201
