"""/api/v2/numbers/{id}: read, replace, change and delete one number (If-Match on writes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from mosaic.numbers import http
from mosaic.numbers.api_v2 import READ
from mosaic.numbers.schemas_v2 import NumberPatchV2, NumberUpdateV2
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v2_items", __name__, url_prefix="/api/v2/numbers")

ITEM = "/<int:number_id>"


@blueprint.get(ITEM)
@read_access
def get_number(number_id: int) -> ResponseReturnValue:
    """Read a number.
    ---
    get:
      tags: [numbers v2]
      summary: One number, with its ETag (send it back in If-Match to change it)
      parameters:
        - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}
      responses:
        200:
          description: The number
          headers: {ETag: {schema: {type: string}, description: the number's version}}
          content:
            application/json:
              schema: NumberReadV2
              example: {"id": 42, "value": "+5584912344321", "monthlyPrice": {"amount": "0.03",
                  "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"},
                  "links": {"self": "/api/v2/numbers/42"}}
        404: {$ref: "#/components/responses/NotFound"}
    """
    number = http.numbers().get_or_raise(number_id)
    return http.represent(READ.dump(number), number)


@blueprint.put(ITEM)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberUpdateV2), location="json")
def replace_number(fields: dict[str, Any], number_id: int) -> ResponseReturnValue:
    """Replace a number.
    ---
    put:
      tags: [numbers v2]
      summary: Replace every field (editor); needs If-Match with the current ETag
      security: [{bearerAuth: []}]
      parameters:
        - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}
        - {in: header, name: If-Match, required: true, schema: {type: string},
            example: '"pn-42-v1"'}
      requestBody:
        required: true
        content:
          application/json:
            schema: NumberUpdateV2
            example: {"value": "+5584912344321", "monthlyPrice": {"amount": "0.05",
                "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"}}
      responses:
        200:
          description: Replaced; the new ETag is in ETag
          content:
            application/json:
              schema: NumberReadV2
              example: {"id": 42, "value": "+5584912344321", "monthlyPrice": {"amount": "0.05",
                  "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"},
                  "links": {"self": "/api/v2/numbers/42"}}
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        404: {$ref: "#/components/responses/NotFound"}
        409: {$ref: "#/components/responses/Conflict"}
        412: {$ref: "#/components/responses/PreconditionFailed"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
        428: {$ref: "#/components/responses/PreconditionRequired"}
    """
    number = http.numbers().update(number_id, fields, if_match=http.if_match())
    return http.represent(READ.dump(number), number)


@blueprint.patch(ITEM)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberPatchV2), location="json")
def change_number(fields: dict[str, Any], number_id: int) -> ResponseReturnValue:
    """Change some fields of a number.
    ---
    patch:
      tags: [numbers v2]
      summary: Change the fields sent (editor); needs If-Match with the current ETag
      security: [{bearerAuth: []}]
      parameters:
        - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}
        - {in: header, name: If-Match, required: true, schema: {type: string},
            example: '"pn-42-v1"'}
      requestBody:
        required: true
        content:
          application/json: {schema: NumberPatchV2, example: {"monthlyPrice": {"amount": "0.05",
              "currency": "USD"}}}
      responses:
        200:
          description: Changed; the new ETag is in ETag
          content:
            application/json:
              schema: NumberReadV2
              example: {"id": 42, "value": "+5584912344321", "monthlyPrice": {"amount": "0.05",
                  "currency": "USD"}, "setupPrice": {"amount": "3.40", "currency": "USD"},
                  "links": {"self": "/api/v2/numbers/42"}}
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        404: {$ref: "#/components/responses/NotFound"}
        409: {$ref: "#/components/responses/Conflict"}
        412: {$ref: "#/components/responses/PreconditionFailed"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
        428: {$ref: "#/components/responses/PreconditionRequired"}
    """
    number = http.numbers().update(number_id, fields, if_match=http.if_match())
    return http.represent(READ.dump(number), number)


@blueprint.delete(ITEM)
@require_role(Role.EDITOR)
def delete_number(number_id: int) -> ResponseReturnValue:
    """Delete a number.
    ---
    delete:
      tags: [numbers v2]
      summary: Remove a number from the inventory (editor); needs If-Match
      security: [{bearerAuth: []}]
      parameters:
        - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}
        - {in: header, name: If-Match, required: true, schema: {type: string},
            example: '"pn-42-v1"'}
      responses:
        204: {description: Deleted}
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        404: {$ref: "#/components/responses/NotFound"}
        412: {$ref: "#/components/responses/PreconditionFailed"}
        428: {$ref: "#/components/responses/PreconditionRequired"}
    """
    http.numbers().delete(number_id, if_match=http.if_match())
    return "", 204
