"""/api/v2/numbers/{id}: read, replace, change and delete one number (If-Match on writes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from mosaic.numbers import http
from mosaic.numbers.api_v2 import DOCS, READ
from mosaic.numbers.schemas_v2 import NumberPatchV2, NumberUpdateV2
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args

blueprint = Blueprint("numbers_v2_items", __name__, url_prefix="/api/v2/numbers")

ITEM = "/<int:number_id>"


@blueprint.get(ITEM)
@operation(DOCS.get)
@read_access
def get_number(number_id: int) -> ResponseReturnValue:
    number = http.numbers().get_or_raise(number_id)
    return http.represent(READ.dump(number), number)


@blueprint.put(ITEM)
@operation(DOCS.replace)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberUpdateV2), location="json")
def replace_number(fields: dict[str, Any], number_id: int) -> ResponseReturnValue:
    number = http.numbers().update(number_id, fields, if_match=http.if_match())
    return http.represent(READ.dump(number), number)


@blueprint.patch(ITEM)
@operation(DOCS.change)
@require_role(Role.EDITOR)
@use_args(http.with_ceiling(NumberPatchV2), location="json")
def change_number(fields: dict[str, Any], number_id: int) -> ResponseReturnValue:
    number = http.numbers().update(number_id, fields, if_match=http.if_match())
    return http.represent(READ.dump(number), number)


@blueprint.delete(ITEM)
@operation(DOCS.delete)
@require_role(Role.EDITOR)
def delete_number(number_id: int) -> ResponseReturnValue:
    http.numbers().delete(number_id, if_match=http.if_match())
    return "", 204
