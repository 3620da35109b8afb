"""Bodies of the commands (<X>Create / <X>Update / <X>Patch) and the representations (<X>Read).

Money is a JSON string only ("12.34"): a JSON number would pass through a float. Unknown
fields are refused (no mass assignment).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask import url_for

from mosaic.expenses.domain import ISO_4217_CODES, ExpenseView, Register, format_amount

AMOUNT = re.compile(r"-?\d+(\.\d+)?")
MAX_ID = 2**31 - 1  # the serial columns' range


class MoneyField(ma.fields.Field[Decimal]):
    """ "12.34" <-> Decimal("12.34"); a JSON number or other text is refused, never rounded."""

    default_error_messages = {
        "invalid": 'Send the amount as a JSON string of a number, like "12.34".'
    }

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "type": "string",
            "pattern": r"^\s*[0-9]{1,10}(\.[0-9]{1,2})?\s*$",  # parse_amount's, and above 0
            "example": "12.34",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if not isinstance(value, str) or not AMOUNT.fullmatch(value.strip()):
            raise self.make_error("invalid")
        return Decimal(value.strip())

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else format_amount(value)


class RegisterCreate(ma.Schema):
    name = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=100),
        # Blanks are collapsed (parse_name): a name has something besides them.
        metadata={"example": "IT", "pattern": r"\S"},
    )


class RegisterUpdate(RegisterCreate):
    """PUT and PATCH: the name (the only field)."""


class RegisterRead(ma.Schema):
    id = ma.fields.Integer(metadata={"example": 3})
    name = ma.fields.String(metadata={"example": "IT"})
    version = ma.fields.Integer(metadata={"example": 1})
    links = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())

    def __init__(self, *args: Any, collection: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.collection = collection

    @ma.pre_dump
    def with_links(self, register: Register, **_kwargs: Any) -> dict[str, Any]:
        base = url_for(f"expenses_registers.list_{self.collection}")
        expenses = url_for("expenses.list_expenses")
        return {
            "id": register.id,
            "name": register.name,
            "version": register.version,
            "links": {
                "self": f"{base}/{register.id}",
                "collection": base,
                "expenses": f"{expenses}?{self.collection[:-1]}_id={register.id}",
            },
        }


class JsonInteger(ma.fields.Integer):
    """A JSON integer as JSON Schema reads one (3, or 3.0), never "3" or true; an id's range."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=False, validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not integral:
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class ExpenseCreate(ma.Schema):
    department_id = JsonInteger(required=True, metadata={"example": 1})
    project_id = JsonInteger(required=True, metadata={"example": 2})
    member_id = JsonInteger(required=True, metadata={"example": 3})
    amount = MoneyField(required=True)
    spent_on = ma.fields.Date(required=True, data_key="date", metadata={"example": "2021-05-01"})
    currency = ma.fields.String(
        load_default="EUR",
        validate=ma.validate.Regexp(r"^[A-Z]{3}$", error="ISO 4217, e.g. EUR."),
        metadata={"enum": ISO_4217_CODES.split()},
    )
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class ExpenseUpdate(ExpenseCreate):
    """PUT: the whole expense (currency and description fall back to their defaults)."""


class ExpensePatch(ExpenseCreate):
    """PATCH: any of the fields, at least one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Only the expense's own fields may be left out (a batch item's id and version may not).
        super().__init__(*args, partial=tuple(ExpenseCreate._declared_fields), **kwargs)
        for name in ("currency", "description"):
            self.fields[name].load_default = ma.missing

    @ma.validates_schema
    def not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("Send at least one field to change.")


class Versioned(ma.Schema):
    """A batch item names an expense and the version it was read at (its ETag's number)."""

    id = JsonInteger(required=True)
    version = JsonInteger(required=True)


class ExpenseBatchPatch(ExpensePatch, Versioned):
    """An item of PATCH /api/v1/expenses: id, version and the fields to change."""

    @ma.validates_schema
    def not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not set(data) - {"id", "version"}:
            raise ma.ValidationError("Send at least one field to change.")


class ExpenseLinks(ma.Schema):
    self = ma.fields.String(metadata={"example": "/api/v1/expenses/1"})
    collection = ma.fields.String(metadata={"example": "/api/v1/expenses"})
    department = ma.fields.String(metadata={"example": "/api/v1/departments/1"})
    project = ma.fields.String(metadata={"example": "/api/v1/projects/2"})
    member = ma.fields.String(metadata={"example": "/api/v1/members/3"})


class ExpenseRead(ma.Schema):
    """An expense as finance reads it: names, the exact amount and the fiscal quarter."""

    id = ma.fields.Integer(metadata={"example": 1})
    department = ma.fields.String(metadata={"example": "IT"})
    project = ma.fields.String(metadata={"example": "Gaama"})
    member = ma.fields.String(metadata={"example": "Sam"})
    amount = ma.fields.String(metadata={"example": "1200.00"})
    currency = ma.fields.String(metadata={"example": "EUR"})
    date = ma.fields.String(metadata={"example": "2021-10-02"})
    quarter = ma.fields.String(metadata={"example": "2021-Q4"})
    description = ma.fields.String(metadata={"example": ""})
    version = ma.fields.Integer(metadata={"example": 1})
    links = ma.fields.Nested(ExpenseLinks)


def expense_body(view: ExpenseView, base: str) -> dict[str, Any]:
    """The representation of ExpenseRead, built directly (the list serializes 500 of them)."""
    return {
        "id": view.id,
        "department": view.department,
        "project": view.project,
        "member": view.member,
        "amount": format_amount(view.amount),
        "currency": view.currency,
        "date": view.spent_on.isoformat(),
        "quarter": view.quarter,
        "description": view.description,
        "version": view.version,
        "links": {
            "self": f"{base}/expenses/{view.id}",
            "collection": f"{base}/expenses",
            "department": f"{base}/departments/{view.department_id}",
            "project": f"{base}/projects/{view.project_id}",
            "member": f"{base}/members/{view.member_id}",
        },
    }


def sparse(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Only the fields asked for, with the id and links kept so the item stays addressable."""
    if not fields:
        return body
    return {k: v for k, v in body.items() if k in fields or k in {"id", "links"}}
