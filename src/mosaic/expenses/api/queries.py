"""GET /api/v1/expenses (list), /api/v1/expenses/{id} and /api/v1/expenses/aggregates.

Public reads, cached whole per data revision; `Accept: text/csv` or `format=csv` streams CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import marshmallow as ma
from flask import Blueprint, Response, request, stream_with_context
from flask.typing import ResponseReturnValue

from mosaic.expenses import openapi_docs as docs
from mosaic.expenses.schemas import (
    AggregateRequest,
    ExpenseAggregateQuery,
    ExpenseListQuery,
    ExpenseListRequest,
    expense_body,
    sparse,
)
from mosaic.expenses.services import ExpenseReports
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.cache import cached_response
from mosaic.platform.http import represent
from mosaic.platform.openapi import operation
from mosaic.platform.pagination import listed, window_links
from mosaic.platform.parsing import use_args
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

API = "/api/v1"
blueprint = Blueprint("expenses", __name__, url_prefix=f"{API}/expenses")
CSV_FIELDS = ("id", "department", "project", "member", "amount", "currency", "date", "quarter")


def reports() -> ExpenseReports:
    return service(ExpenseReports)


def revision() -> Revision:
    return reports().revision


def wants_csv() -> bool:
    if request.args.get("format") == "csv":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


@blueprint.get("")
@operation(docs.LIST)
@read_access
@cached_response("expenses-list", revision, bypass=wants_csv)
@use_args(ExpenseListQuery(), location="query", unknown=ma.RAISE)
def list_expenses(asked: ExpenseListRequest) -> Response:
    if asked.as_csv or wants_csv():
        rows = (expense_body(view, API) for view in reports().export(asked.query))
        return csv_stream(rows, asked.fields or CSV_FIELDS, name="expenses")
    page = reports().list(asked.query)
    links = window_links(
        request.base_url, request.args.to_dict(flat=False), request=asked.query.page, page=page
    )
    total = page.total if page.counted else None
    body = {
        "data": [sparse(expense_body(view, API), asked.fields) for view in page.items],
        "meta": {
            "total": total,
            "limit": asked.query.page.limit,
            "offset": None if asked.query.page.by_cursor else asked.query.page.offset,
            "sort": ",".join(str(key) for key in asked.query.page.sort),
        },
        "links": links,
    }
    response = listed(body, total=total, links=links)
    response.vary.add("Accept")
    return response


@blueprint.get("/<int:expense_id>")
@operation(docs.GET)
@read_access
def get_expense(expense_id: int) -> ResponseReturnValue:
    view = reports().get_or_raise(expense_id)
    return represent(expense_body(view, API), etag=view.etag)


@blueprint.get("/aggregates")
@operation(docs.AGGREGATES)
@read_access
@cached_response("expenses-aggregates", revision, bypass=wants_csv)
@use_args(ExpenseAggregateQuery(), location="query", unknown=ma.RAISE)
def aggregate_expenses(asked: AggregateRequest) -> Response:
    groups = [_exact(group) for group in reports().aggregate(asked.query)]
    if asked.as_csv or wants_csv():
        names = (*asked.query.by, "currency", *asked.query.metrics)
        return csv_stream(groups, names, name="aggregates")
    body = {
        "data": groups,
        "meta": {"by": list(asked.query.by), "metrics": list(asked.query.metrics)},
        "links": {"self": request.url, "expenses": f"{API}/expenses"},
    }
    response = listed(body, total=len(groups), links={})
    response.vary.add("Accept")
    return response


def _exact(group: dict[str, Any]) -> dict[str, Any]:
    """Decimals as strings (exact), dates as ISO text; counts and years stay numbers."""
    return {k: v if isinstance(v, int | str) or v is None else str(v) for k, v in group.items()}


def csv_stream(rows: Iterable[dict[str, Any]], names: Iterable[str], *, name: str) -> Response:
    """The rows as CSV, written as they are read (a large export never sits in memory)."""
    columns = list(names)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            if buffer.tell() > 8192:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.vary.add("Accept")
    return response
