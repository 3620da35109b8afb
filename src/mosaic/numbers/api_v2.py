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
from mosaic.numbers.queries import NumberQuery
from mosaic.numbers.schemas_v2 import (
    NumberCreateV2,
    NumberQueryV2,
    NumberReadV2,
)
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v2", __name__, url_prefix="/api/v2/numbers")
READ, READ_MANY = NumberReadV2(), NumberReadV2(many=True)


@blueprint.get("")
@read_access
@http.cached_page("v2")
@use_args(NumberQueryV2(), location="query", unknown=ma.RAISE)
def list_numbers(query: NumberQuery) -> ResponseReturnValue:
    """List numbers.
    ---
    get:
      tags: [numbers v2]
      summary: A page of numbers in an envelope with the total and the page links
      description: The total is in X-Total-Count; pages (or the cursor) in Link (RFC 8288).
        Unknown parameters, a bad page or per_page > 100 get 400.
      parameters: [{in: query, schema: NumberQueryV2}]
      responses:
        200:
          description: The page
          headers:
            X-Total-Count: {schema: {type: integer}, description: Numbers matching the filters}
            Link: {schema: {type: string}, description: "first, prev, next, last; or next"}
          content:
            application/json:
              schema: NumberListV2
              example: {"items": [{"id": 42, "value": "+5584912344321",
                          "monthlyPrice": {"amount": "0.03", "currency": "USD"},
                          "setupPrice": {"amount": "3.40", "currency": "USD"},
                          "links": {"self": "/api/v2/numbers/42"}}],
                        "total": 800,
                        "links": {"first": "/api/v2/numbers?page=1",
                                  "next": "/api/v2/numbers?page=2",
                                  "last": "/api/v2/numbers?page=16"}}
        400: {$ref: "#/components/responses/BadRequest"}
    """
    page = http.catalog().list_shown(query, view="v2", show=READ_MANY.dump)
    links = http.links_of(query, page)
    body = {"items": page.items, "total": page.total, "links": links}
    return http.listed(body, page=page, links=links)


@blueprint.post("")
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV2), location="json")
def create_number(fields: dict[str, Any]) -> ResponseReturnValue:
    """Create a number.
    ---
    post:
      tags: [numbers v2]
      summary: Add a number (editor); the same number in another writing is a 409
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: NumberCreateV2
            example: {"value": "+5584912344321", "monthlyPrice": {"amount": "0.03",
                "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"}}
      responses:
        201:
          description: Created; Location names it
          headers: {Location: {schema: {type: string}}, ETag: {schema: {type: string}}}
          content:
            application/json:
              schema: NumberReadV2
              example: {"id": 42, "value": "+5584912344321", "monthlyPrice": {"amount": "0.03",
                  "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"},
                  "links": {"self": "/api/v2/numbers/42"}}
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        409: {$ref: "#/components/responses/Conflict"}
        415: {$ref: "#/components/responses/UnsupportedMediaType"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
    """
    number = http.numbers().create(fields)
    location = url_for("numbers_v2_items.get_number", number_id=number.id)
    return http.represent(READ.dump(number), number, status=201, location=location)


@blueprint.post("/batch")
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV2, many=True), location="json")
def create_numbers(items: list[dict[str, Any]]) -> ResponseReturnValue:
    """Create numbers in one go.
    ---
    post:
      tags: [numbers v2]
      summary: Add up to 1000 numbers from a JSON array, all or nothing (editor)
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: NumberCreateV2}
            example: [{"value": "+5584912344321", "monthlyPrice": {"amount": "0.03",
                "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"}}]
      responses:
        201:
          description: All created
          content:
            application/json:
              schema: {type: array, items: NumberReadV2}
              example: [{"id": 42, "value": "+5584912344321", "monthlyPrice": {"amount": "0.03",
                  "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"},
                  "links": {"self": "/api/v2/numbers/42"}}]
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        409: {$ref: "#/components/responses/Conflict"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
    """
    return READ_MANY.dump(http.numbers().create_many(http.batch(items))), 201
