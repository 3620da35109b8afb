"""/api/v1/departments, /projects and /members: a name each (editor role for writes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from mosaic.expenses import openapi_docs as docs
from mosaic.expenses.schemas import RegisterCreate, RegisterRead, RegisterUpdate
from mosaic.expenses.services import (
    DepartmentService,
    MemberService,
    ProjectService,
    RegisterService,
)
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.http import if_match, represent
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args
from mosaic.platform.wiring import service

blueprint = Blueprint("expenses_registers", __name__, url_prefix="/api/v1")
SERVICES: dict[str, type[RegisterService]] = {
    "departments": DepartmentService,
    "projects": ProjectService,
    "members": MemberService,
}


def _registers(collection: str) -> RegisterService:
    return service(SERVICES[collection])


def _routes(collection: str) -> None:
    """The five operations of one register's collection and items."""
    item = f"/{collection}/<int:register_id>"
    read = RegisterRead(collection=collection)
    kind = collection[:-1]

    @operation(docs.register_create(collection))
    @require_role(Role.EDITOR)
    @use_args(RegisterCreate(), location="json")
    def create(fields: dict[str, Any]) -> ResponseReturnValue:
        register = _registers(collection).create(fields)
        body = read.dump(register)
        return represent(body, etag=register.etag, status=201, location=body["links"]["self"])

    @operation(docs.register_list(collection))
    @read_access
    def list_all() -> ResponseReturnValue:
        links = {"self": f"/api/v1/{collection}", "expenses": "/api/v1/expenses"}
        return jsonify(
            {"data": read.dump(_registers(collection).list(), many=True), "links": links}
        )

    @operation(docs.register_get(collection))
    @read_access
    def get(register_id: int) -> ResponseReturnValue:
        register = _registers(collection).get_or_raise(register_id)
        return represent(read.dump(register), etag=register.etag)

    @operation(docs.register_update(collection))
    @require_role(Role.EDITOR)
    @use_args(RegisterUpdate(), location="json")
    def update(fields: dict[str, Any], register_id: int) -> ResponseReturnValue:
        register = _registers(collection).update(register_id, fields, if_match=if_match())
        return represent(read.dump(register), etag=register.etag)

    @operation(docs.register_delete(collection))
    @require_role(Role.EDITOR)
    def delete(register_id: int) -> ResponseReturnValue:
        _registers(collection).delete(register_id, if_match=if_match())
        return "", 204

    blueprint.add_url_rule(f"/{collection}", f"create_{kind}", create, methods=["POST"])
    blueprint.add_url_rule(f"/{collection}", f"list_{collection}", list_all, methods=["GET"])
    blueprint.add_url_rule(item, f"get_{kind}", get, methods=["GET"])
    blueprint.add_url_rule(item, f"replace_{kind}", update, methods=["PUT"])
    blueprint.add_url_rule(item, f"change_{kind}", update, methods=["PATCH"])
    blueprint.add_url_rule(item, f"delete_{kind}", delete, methods=["DELETE"])


for _collection in SERVICES:
    _routes(_collection)
