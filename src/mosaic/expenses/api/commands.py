"""Commands on /api/v1/expenses (editor role): one expense or an all-or-nothing batch, and
POST /api/v1/expenses/import for a CSV in the source file's format."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, Request, jsonify, request
from flask.typing import ResponseReturnValue

from mosaic.expenses import openapi_docs as docs
from mosaic.expenses.domain import SOURCE_COLUMNS
from mosaic.expenses.schemas import (
    ExpenseBatchPatch,
    ExpenseCreate,
    ExpensePatch,
    ExpenseUpdate,
    ImportQuery,
    Versioned,
    expense_body,
)
from mosaic.expenses.services import ExpenseImport, ExpenseService
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import require_role
from mosaic.platform.datasets import rows_of
from mosaic.platform.errors import BadRequest, MosaicError, RuleViolation
from mosaic.platform.http import if_match, represent
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import load_json_body, use_args
from mosaic.platform.wiring import service

API = "/api/v1"
blueprint = Blueprint("expenses_commands", __name__, url_prefix=f"{API}/expenses")
ITEM = "/<int:expense_id>"
BATCH_LIMIT = 1000


def expenses() -> ExpenseService:
    return service(ExpenseService)


def one_or_many(schema: type[ma.Schema]) -> Any:
    """A webargs schema factory: an object reads as one, an array as a batch."""

    def build(req: Request) -> ma.Schema:
        try:
            body = load_json_body(req.get_data(cache=True))  # the one reader of JSON bodies
        except MosaicError:
            body = None  # the parser refuses it with its own 400 just after
        return schema(many=isinstance(body, list))

    return build


def batch(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not 1 <= len(items) <= BATCH_LIMIT:
        detail = f"Send between 1 and {BATCH_LIMIT} items in a batch."
        raise RuleViolation(detail, errors=[{"pointer": "#", "detail": detail}])
    return items


@blueprint.post("")
@operation(docs.CREATE)
@require_role(Role.EDITOR)
@use_args(one_or_many(ExpenseCreate), location="json")
def create_expenses(body: dict[str, Any] | list[dict[str, Any]]) -> ResponseReturnValue:
    if isinstance(body, list):
        views = expenses().create_many(batch(body))
        return jsonify({"data": [expense_body(view, API) for view in views]}), 201
    view = expenses().create(body)
    location = f"{API}/expenses/{view.id}"
    return represent(expense_body(view, API), etag=view.etag, status=201, location=location)


@blueprint.patch("")
@operation(docs.PATCH_MANY)
@require_role(Role.EDITOR)
@use_args(ExpenseBatchPatch(many=True), location="json")
def change_expenses(items: list[dict[str, Any]]) -> ResponseReturnValue:
    views = expenses().update_many(batch(items))
    return jsonify({"data": [expense_body(view, API) for view in views]})


@blueprint.delete("")
@operation(docs.DELETE_MANY)
@require_role(Role.EDITOR)
@use_args(Versioned(many=True), location="json")
def delete_expenses(items: list[dict[str, Any]]) -> ResponseReturnValue:
    expenses().delete_many(batch(items))
    return "", 204


@blueprint.put(ITEM)
@operation(docs.REPLACE)
@require_role(Role.EDITOR)
@use_args(ExpenseUpdate(), location="json")
def replace_expense(fields: dict[str, Any], expense_id: int) -> ResponseReturnValue:
    view = expenses().update(expense_id, fields, if_match=if_match())
    return represent(expense_body(view, API), etag=view.etag)


@blueprint.patch(ITEM)
@operation(docs.CHANGE)
@require_role(Role.EDITOR)
@use_args(ExpensePatch(), location="json")
def change_expense(fields: dict[str, Any], expense_id: int) -> ResponseReturnValue:
    view = expenses().update(expense_id, fields, if_match=if_match())
    return represent(expense_body(view, API), etag=view.etag)


@blueprint.delete(ITEM)
@operation(docs.DELETE)
@require_role(Role.EDITOR)
def delete_expense(expense_id: int) -> ResponseReturnValue:
    expenses().delete(expense_id, if_match=if_match())
    return "", 204


@blueprint.post("/import")
@operation(docs.IMPORT)
@require_role(Role.EDITOR)
@use_args(ImportQuery(), location="query")
def import_expenses(query: dict[str, Any]) -> ResponseReturnValue:
    dry_run = bool(query["dry_run"])
    report = service(ExpenseImport).load(
        rows_of(uploaded_text().splitlines(keepends=True), required=SOURCE_COLUMNS),
        source="upload",
        dry_run=dry_run,
    )
    return jsonify(
        {
            "rows": report.rows,
            "inserted": report.inserted,
            "duplicates": report.duplicates,
            "registers_created": report.registers_created,
            "dry_run": report.dry_run,
        }
    ), (200 if dry_run else 201)


def uploaded_text() -> str:
    """The CSV sent as multipart (`file`) or as the body (text/csv), decoded as UTF-8."""
    raw: bytes
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise BadRequest("Send the CSV in a multipart field named 'file'.")
        raw = upload.read()
    elif request.mimetype in {"text/csv", "text/plain"}:
        raw = request.get_data()
    else:
        raise BadRequest("Send the CSV as text/csv, or as multipart/form-data field 'file'.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadRequest("The CSV must be UTF-8 text.") from error
