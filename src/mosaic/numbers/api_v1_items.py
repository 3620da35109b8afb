"""/api/v1/numbers/{id}: read, replace, change and delete one number (If-Match on writes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from mosaic.numbers import http
from mosaic.numbers.api_v1 import READ
from mosaic.numbers.schemas_v1 import NumberPatchV1, NumberUpdateV1
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v1_items", __name__, url_prefix="/api/v1/numbers")

ITEM = "/<int:number_id>"


@blueprint.get(ITEM)
@read_access
def get_number(number_id: int) -> ResponseReturnValue:
    """Read a number.
    ---
    get:
      tags: [numbers v1]
      summary: One number, with its ETag (send it back in If-Match to change it)
      parameters:
        - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}
      responses:
        200:
          description: The number
          headers: {ETag: {schema: {type: string}, description: the number's version}}
          content:
            application/json:
              schema: NumberReadV1
              example: {"id": 42, "value": "+55 84 91234-4321", "monthyPrice": "0.03",
                        "setupPrice": "3.40", "currency": "U$"}
        404: {$ref: "#/components/responses/NotFound"}
    """
    number = http.numbers().get_or_raise(number_id)
    return http.represent(READ.dump(number), number)


@blueprint.put(ITEM)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberUpdateV1), location="json")
def replace_number(fields: dict[str, Any], number_id: int) -> ResponseReturnValue:
    """Replace a number.
    ---
    put:
      tags: [numbers v1]
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
            schema: NumberUpdateV1
            example: {"value": "+55 84 91234-4321", "monthyPrice": "0.05",
                      "setupPrice": "3.40", "currency": "U$"}
      responses:
        200:
          description: Replaced; the new ETag is in ETag
          content:
            application/json:
              schema: NumberReadV1
              example: {"id": 42, "value": "+55 84 91234-4321", "monthyPrice": "0.05",
                        "setupPrice": "3.40", "currency": "U$"}
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
@use_args(http.with_ceiling(NumberPatchV1), location="json")
def change_number(fields: dict[str, Any], number_id: int) -> ResponseReturnValue:
    """Change some fields of a number.
    ---
    patch:
      tags: [numbers v1]
      summary: Change the fields sent (editor); needs If-Match with the current ETag
      security: [{bearerAuth: []}]
      parameters:
        - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}
        - {in: header, name: If-Match, required: true, schema: {type: string},
            example: '"pn-42-v1"'}
      requestBody:
        required: true
        content:
          application/json: {schema: NumberPatchV1, example: {"monthyPrice": "0.05"}}
      responses:
        200:
          description: Changed; the new ETag is in ETag
          content:
            application/json:
              schema: NumberReadV1
              example: {"id": 42, "value": "+55 84 91234-4321", "monthyPrice": "0.05",
                        "setupPrice": "3.40", "currency": "U$"}
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
      tags: [numbers v1]
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
