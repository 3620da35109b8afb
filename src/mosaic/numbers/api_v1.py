"""/api/v1/numbers: the collection, in the frontend's mock schema (a bare array per list).

The item routes (/api/v1/numbers/{id}) are in api_v1_items.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue

from mosaic.numbers import http
from mosaic.numbers.queries import NumberQuery
from mosaic.numbers.schemas_v1 import (
    NumberCreateV1,
    NumberQueryV1,
    NumberReadV1,
)
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v1", __name__, url_prefix="/api/v1/numbers")
READ, READ_MANY = NumberReadV1(), NumberReadV1(many=True)


@blueprint.get("")
@read_access
@http.cached_page("v1")
@use_args(NumberQueryV1(), location="query", unknown=ma.RAISE)
def list_numbers(query: NumberQuery) -> ResponseReturnValue:
    """List numbers.
    ---
    get:
      tags: [numbers v1]
      summary: A page of numbers, as a bare JSON array (the mock's shape)
      description: The total is in X-Total-Count; pages (or the cursor) in Link (RFC 8288).
        Unknown parameters, a bad page or per_page > 100 get 400.
      parameters: [{in: query, schema: NumberQueryV1}]
      responses:
        200:
          description: The page
          headers:
            X-Total-Count: {schema: {type: integer}, description: Numbers matching the filters}
            Link: {schema: {type: string}, description: "first, prev, next, last; or next"}
          content:
            application/json:
              schema: {type: array, items: NumberReadV1}
              example: [{"id": 42, "value": "+55 84 91234-4321", "monthyPrice": "0.03",
                         "setupPrice": "3.40", "currency": "U$"}]
        400: {$ref: "#/components/responses/BadRequest"}
    """
    page = http.catalog().list_shown(query, view="v1", show=READ_MANY.dump)
    links = http.links_of(query, page)
    return http.listed(page.items, page=page, links=links)


@blueprint.post("")
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV1), location="json")
def create_number(fields: dict[str, Any]) -> ResponseReturnValue:
    """Create a number.
    ---
    post:
      tags: [numbers v1]
      summary: Add a number (editor); the same number in another writing is a 409
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: NumberCreateV1
            example: {"value": "+55 84 91234-4321", "monthyPrice": "0.03",
                      "setupPrice": "3.40", "currency": "U$"}
      responses:
        201:
          description: Created; Location names it
          headers: {Location: {schema: {type: string}}, ETag: {schema: {type: string}}}
          content:
            application/json:
              schema: NumberReadV1
              example: {"id": 42, "value": "+55 84 91234-4321", "monthyPrice": "0.03",
                        "setupPrice": "3.40", "currency": "U$"}
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        409: {$ref: "#/components/responses/Conflict"}
        415: {$ref: "#/components/responses/UnsupportedMediaType"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
    """
    number = http.numbers().create(fields)
    location = url_for("numbers_v1_items.get_number", number_id=number.id)
    return http.represent(READ.dump(number), number, status=201, location=location)


@blueprint.post("/batch")
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberCreateV1, many=True), location="json")
def create_numbers(items: list[dict[str, Any]]) -> ResponseReturnValue:
    """Create numbers in one go.
    ---
    post:
      tags: [numbers v1]
      summary: Add up to 1000 numbers from a JSON array, all or nothing (editor)
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: NumberCreateV1}
            example: [{"value": "+55 84 91234-4321", "monthyPrice": "0.03",
                       "setupPrice": "3.40", "currency": "U$"}]
      responses:
        201:
          description: All created
          content:
            application/json:
              schema: {type: array, items: NumberReadV1}
              example: [{"id": 42, "value": "+55 84 91234-4321", "monthyPrice": "0.03",
                         "setupPrice": "3.40", "currency": "U$"}]
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        409: {$ref: "#/components/responses/Conflict"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
    """
    return READ_MANY.dump(http.numbers().create_many(http.batch(items))), 201
