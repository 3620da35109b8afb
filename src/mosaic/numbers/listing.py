"""The list's query string (filters, sort, page or cursor) and its Link header, for both versions.

Each version names the prices its own way (`monthyPrice` in v1, `monthlyPrice` in v2); the
columns behind the names are the same.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, cast
from urllib.parse import urlencode

import marshmallow as ma
from marshmallow import class_registry

from mosaic.numbers.domain import InvalidPhoneNumber, parse_price
from mosaic.numbers.fields import CurrencyField, PriceField
from mosaic.numbers.queries import PRICES, NumberPage, NumberQuery, SortKey

MAX_PER_PAGE = 100
COMPARISONS = ("gte", "gt", "lte", "lt")
SEARCH = re.compile(r"(\+)?[\d\s().-]+")
DECODERS: dict[str, Callable[[str], Any]] = {
    "id": int,
    "monthly_price": parse_price,
    "setup_price": parse_price,
}


def _sort_keys(text: str, names: Mapping[str, str]) -> list[SortKey]:
    keys: list[SortKey] = []
    for token in text.split(","):
        name = names.get(token.strip().lstrip("-"))
        if name is None or any(name == seen for seen, _ in keys):
            allowed = ", ".join(names)
            raise ma.ValidationError(f"Sort by a comma list of {allowed} (a - reverses one).")
        keys.append((name, token.strip().startswith("-")))
    return keys


def _canonical(keys: list[SortKey]) -> str:
    return ",".join(("-" if descending else "") + name for name, descending in keys)


def encode_cursor(keys: list[SortKey], values: list[Any]) -> str:
    payload = json.dumps({"sort": _canonical(keys), "after": [str(v) for v in values]})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_cursor(token: str, keys: list[SortKey]) -> list[Any] | None:
    if not token:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if payload["sort"] != _canonical(keys) or len(payload["after"]) != len(keys):
            raise ValueError("the cursor was made for another sort")
        return [DECODERS.get(n, str)(v) for (n, _), v in zip(keys, payload["after"], strict=True)]
    except (ValueError, KeyError, TypeError, InvalidPhoneNumber, binascii.Error) as error:
        raise ma.ValidationError(
            "Not a cursor from this list; use the Link rel=next of the previous page.",
            field_name="cursor",
        ) from error


class NumberListQuery(ma.Schema):
    """Base of NumberQueryV1/V2; subclasses come from `query_schema`."""

    sort_names: Mapping[str, str] = {}

    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=1_000_000),
        metadata={"description": "Page number, from 1 (not with cursor).", "example": 2},
    )
    per_page = ma.fields.Integer(
        load_default=50,
        validate=ma.validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Numbers per page, 1 to {MAX_PER_PAGE}.", "example": 50},
    )
    cursor = ma.fields.String(metadata={"description": "Keyset cursor; empty for the first page."})
    currency = CurrencyField(
        as_symbol=False, metadata={"description": "USD, BRL, EUR or U$, R$, €"}
    )
    q = ma.fields.String(
        validate=ma.validate.Regexp(SEARCH, error="Search by digits (8491) or a prefix (+5584)."),
        metadata={"description": "Digits anywhere in the number, or a +prefix."},
    )
    sort = ma.fields.String(load_default="id", metadata={"description": "e.g. value,-setupPrice"})

    @ma.pre_load
    def page_or_cursor(self, data: Mapping[str, Any], **_kwargs: Any) -> Mapping[str, Any]:
        if "cursor" in data and "page" in data:
            raise ma.ValidationError("Use either page or cursor, not both.", field_name="page")
        return data

    @ma.post_load
    def to_query(self, data: dict[str, Any], **_kwargs: Any) -> NumberQuery:
        try:
            keys = _sort_keys(data["sort"], self.sort_names)
        except ma.ValidationError as error:
            raise ma.ValidationError(error.messages, field_name="sort") from error
        query = NumberQuery(
            currency=data.get("currency"),
            price_ranges=[
                (column, comparison, data[f"{column}__{comparison}"])
                for column in PRICES
                for comparison in COMPARISONS
                if f"{column}__{comparison}" in data
            ],
            digits=re.sub(r"\D", "", data.get("q", "")) or None,
            prefix=data.get("q", "").strip().startswith("+"),
            sort=keys,
            page=data["page"],
            per_page=data["per_page"],
            use_cursor="cursor" in data,
        )
        after = _decode_cursor(data.get("cursor", ""), query.keys)
        return replace(query, after=after)


def query_schema(name: str, price_names: Mapping[str, str]) -> type[NumberListQuery]:
    """The query schema of one version; `price_names` maps its price names to the columns."""
    fields: dict[str, ma.fields.Field[Any]] = {
        f"{column}__{comparison}": PriceField(
            data_key=f"{public}[{comparison}]",
            metadata={"description": f"{public} {comparison} this price", "example": "1.00"},
        )
        for public, column in price_names.items()
        for comparison in COMPARISONS
    }
    sort_names = {"id": "id", "value": "value", **price_names, "currency": "currency"}
    schema = cast(type[NumberListQuery], NumberListQuery.from_dict(fields, name=name))
    schema.sort_names = sort_names
    allowed = ", ".join(
        ["page", "per_page", "cursor", "currency", "q", "sort"]
        + [f.data_key or "" for f in fields.values()]
    )
    schema.error_messages = {"unknown": f"Unknown parameter; the list accepts {allowed}."}
    class_registry.register(name, schema)  # so the OpenAPI docstrings can name it
    return schema


def page_links(
    url: str, args: Mapping[str, list[str]], *, query: NumberQuery, page: NumberPage
) -> dict[str, str]:
    """rel -> URL: first/prev/next/last by page, or next by cursor (RFC 8288 relations)."""

    def link(**changes: Any) -> str:
        merged = {**args, **{k: [str(v)] for k, v in changes.items()}}
        return f"{url}?{urlencode(merged, doseq=True)}"

    if query.use_cursor:
        if page.last_keys is None or len(page.items) < query.per_page:
            return {}
        return {"next": link(cursor=encode_cursor(query.keys, page.last_keys))}
    last = max(1, math.ceil(page.total / query.per_page))
    links = {"first": link(page=1)}
    if query.page > 1:
        links["prev"] = link(page=min(query.page - 1, last))
    if query.page < last:
        links["next"] = link(page=query.page + 1)
    links["last"] = link(page=last)
    return links
