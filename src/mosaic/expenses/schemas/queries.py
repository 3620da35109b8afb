"""Query strings of the expense list and aggregates: `field[op]=value` filters (with the CSV's
column names as aliases), sort, sparse fields, limit/offset or cursor, and CSV output."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import marshmallow as ma

from mosaic.expenses.queries import DIMENSIONS, METRICS, AggregateQuery, ExpenseQuery
from mosaic.platform.pagination import InvalidCursor, PageRequest, read_cursor
from mosaic.platform.querystring import (
    ORDERED_OPS,
    CommaList,
    Filterable,
    FilteredQuerySchema,
    QuerySchema,
    parse_sort_order,
    sort_pattern,
)

MAX_LIMIT = 500
NUMBER = re.compile(r"-?\d{1,12}(\.\d{1,2})?")
AMOUNT_PATTERN = r"^\s*-?[0-9]{1,12}(\.[0-9]{1,2})?\s*$"  # what parse_decimal reads
# The CSV's column names (and the brief's URLs) as aliases of the API's names.
ALIASES = {
    "departments": "department",
    "project_name": "project",
    "member_name": "member",
    "spent_on": "date",
}


def parse_decimal(text: str) -> Decimal:
    if not NUMBER.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not an amount; write it like 1400 or 1400.50.")
    return Decimal(text.strip())


def parse_date(text: str) -> date:
    """ISO (2021-05-01) or the source file's M/D/YYYY (5/1/2021)."""
    for shape in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), shape).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; write it like 2021-05-01.")


def parse_currency(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", text.strip()):
        raise ValueError(f"{text!r} is not an ISO 4217 code like EUR.")
    return text.strip().upper()


def parse_id(text: str) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise ValueError(f"{text!r} is not an id.")
    return int(text)


FILTERS = {
    "id": Filterable("id", parse_id, ORDERED_OPS),
    "department_id": Filterable("department_id", parse_id, ORDERED_OPS),
    "project_id": Filterable("project_id", parse_id, ORDERED_OPS),
    "member_id": Filterable("member_id", parse_id, ORDERED_OPS),
    "department": Filterable("department"),
    "project": Filterable("project"),
    "member": Filterable("member"),
    "amount": Filterable("amount", parse_decimal, ORDERED_OPS),
    "date": Filterable("spent_on", parse_date, ORDERED_OPS),
    "currency": Filterable("currency", parse_currency, ("eq", "ne", "in")),
    "description": Filterable("description", ops=("contains", "eq", "ne")),
}
FILTERABLE = {**FILTERS, **{alias: FILTERS[name] for alias, name in ALIASES.items()}}
SORTS = {n: f.column for n, f in FILTERABLE.items() if n != "description"}
FIELDS = ("id", "department", "project", "member", "amount", "currency", "date", "quarter")
SHOWN = (*FIELDS, "description", "version", "links")
DECODERS: dict[str, Callable[[str], Any]] = {
    "id": int,
    "amount": Decimal,
    "spent_on": date.fromisoformat,
}


@dataclass(frozen=True)
class ExpenseListRequest:
    query: ExpenseQuery
    fields: tuple[str, ...]  # the attributes to show (all when empty)
    as_csv: bool


class _Common(FilteredQuerySchema):
    filterable = FILTERABLE
    format = ma.fields.String(
        validate=ma.validate.OneOf(("json", "csv")),
        metadata={"description": "csv streams the rows (or the groups) as text/csv."},
    )


class ExpenseListQuery(_Common):
    """Filters: `amount[gte]=1400&member_name=Sam` (ops eq ne gt gte lt lte in contains)."""

    sort = ma.fields.String(
        load_default="id", metadata={"example": "-amount,date", "pattern": sort_pattern(SORTS)}
    )
    order = ma.fields.String(
        load_default="asc",
        validate=ma.validate.OneOf(("asc", "desc")),
        metadata={"example": "desc"},
    )
    shown = CommaList(
        allowed=(*SHOWN, *ALIASES), data_key="fields", metadata={"example": "department,amount"}
    )
    limit = ma.fields.Integer(
        load_default=50,
        validate=ma.validate.Range(min=1, max=MAX_LIMIT),
        metadata={"example": 50},
    )
    offset = ma.fields.Integer(
        load_default=0,
        validate=ma.validate.Range(min=0, max=10**8),
        metadata={"description": "Rows skipped (not with a cursor)."},
    )
    cursor = ma.fields.String(
        metadata={"description": "From a Link rel=next or rel=prev; empty for the first page."}
    )

    def build(self, loaded: dict[str, Any]) -> ExpenseListRequest:
        try:
            keys = parse_sort_order(loaded["sort"], SORTS, loaded["order"])
        except ma.ValidationError as error:
            raise ma.ValidationError({"sort": error.messages}) from error
        page = PageRequest(sort=keys, limit=loaded["limit"], offset=loaded["offset"])
        if "cursor" in loaded:
            page = _with_cursor(page, loaded)
        fields = tuple(dict.fromkeys(ALIASES.get(f, f) for f in loaded.get("shown", ())))
        query = ExpenseQuery(filters=loaded["filters"], page=page)
        return ExpenseListRequest(query, fields, loaded.get("format") == "csv")


def _with_cursor(page: PageRequest, loaded: dict[str, Any]) -> PageRequest:
    if loaded["offset"]:
        raise ma.ValidationError({"cursor": ["Use either offset or cursor, not both."]})
    if not loaded["cursor"]:
        return PageRequest(sort=page.sort, limit=page.limit, by_cursor=True)
    try:
        after, backward = read_cursor(loaded["cursor"], page.keys, DECODERS)
    except (InvalidCursor, InvalidOperation) as error:
        raise ma.ValidationError(
            {"cursor": ["Not a cursor of this list and sort; follow the Link rel=next or prev."]}
        ) from error
    return PageRequest(
        sort=page.sort, limit=page.limit, after=after, by_cursor=True, backward=backward
    )


HAVING = {
    name: Filterable(name, parse_decimal, ORDERED_OPS)
    for name in ("sum", "count", "avg", "min", "max")
}
BY = (*DIMENSIONS, *ALIASES)


@dataclass(frozen=True)
class AggregateRequest:
    query: AggregateQuery
    as_csv: bool


class ExpenseAggregateQuery(_Common):
    """`by=departments&metrics=sum,count,share&having[sum][gte]=1000&sort=-sum`."""

    groups = {"having": HAVING}
    by = CommaList(
        allowed=BY,
        at_least_one=True,
        load_default=("department",),
        metadata={"example": "department"},
    )
    metrics = CommaList(
        allowed=METRICS, load_default=("sum", "count"), metadata={"example": "sum,count,share"}
    )
    sort = ma.fields.String(
        metadata={
            "example": "-sum",
            "description": "By a key grouped by, currency or a metric asked for.",
            "pattern": sort_pattern(dict.fromkeys((*BY, "currency", *METRICS), ""), optional=True),
        }
    )
    order = ma.fields.String(load_default="asc", validate=ma.validate.OneOf(("asc", "desc")))

    def build(self, loaded: dict[str, Any]) -> AggregateRequest:
        by = tuple(dict.fromkeys(ALIASES.get(name, name) for name in loaded["by"]))
        if not by:
            raise ma.ValidationError({"by": [f"Group by one or more of {', '.join(BY)}."]})
        metrics = loaded["metrics"] or ("sum", "count")
        sortable = {
            **{name: name for name in by},
            "currency": "currency",
            **{m: m for m in metrics},
        }
        sortable |= {alias: name for alias, name in ALIASES.items() if name in by}
        try:
            keys = parse_sort_order(loaded.get("sort") or ",".join(by), sortable, loaded["order"])
        except ma.ValidationError as error:
            raise ma.ValidationError({"sort": error.messages}) from error
        query = AggregateQuery(
            by=by, metrics=metrics, filters=loaded["filters"], having=loaded["having"], sort=keys
        )
        return AggregateRequest(query, loaded.get("format") == "csv")


class ImportQuery(QuerySchema):
    """`?dry_run=true`: validate and count, write nothing."""

    dry_run = ma.fields.Boolean(load_default=False, metadata={"example": True})
