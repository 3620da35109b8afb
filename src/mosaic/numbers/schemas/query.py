"""The list's query string (filters, sort, page or cursor), for both versions.

Each version names the prices its own way (`monthyPrice` in v1, `monthlyPrice` in v2); the
columns behind the names are the same. Sorting, cursors and the operators are the platform's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, cast

import marshmallow as ma
from marshmallow import class_registry

from mosaic.numbers.domain import PhoneNumberRuleBroken, parse_price
from mosaic.numbers.queries import PRICES, NumberFilter, NumberListing
from mosaic.numbers.schemas.fields import CurrencyField, PriceField
from mosaic.platform.pagination import InvalidCursor, PageRequest, decode_cursor, total_order
from mosaic.platform.querystring import (
    COMPARISONS,
    Filter,
    QuerySchema,
    parse_sort,
    sort_pattern,
)

MAX_PER_PAGE = 100
SEARCH = re.compile(r"^\+?[0-9 ().-]+$")
DECODERS: dict[str, Callable[[str], Any]] = {
    "id": int,
    "monthly_price": parse_price,
    "setup_price": parse_price,
}


def _after(token: str, request: PageRequest) -> tuple[Any, ...] | None:
    if not token:
        return None
    try:
        return decode_cursor(token, request.keys, DECODERS)
    except (InvalidCursor, PhoneNumberRuleBroken) as error:
        raise ma.ValidationError(
            "Not a cursor from this list; use the Link rel=next of the previous page.",
            field_name="cursor",
        ) from error


class NumberListQuery(QuerySchema):
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

    @ma.pre_load
    def page_or_cursor(self, data: Mapping[str, Any], **_kwargs: Any) -> Mapping[str, Any]:
        if "cursor" in data and "page" in data:
            raise ma.ValidationError("Use either page or cursor, not both.", field_name="page")
        return data

    @ma.post_load
    def to_listing(self, data: dict[str, Any], **_kwargs: Any) -> NumberListing:
        try:
            sort = parse_sort(data["sort"], self.sort_names)
        except ma.ValidationError as error:
            raise ma.ValidationError(error.messages, field_name="sort") from error
        page = PageRequest(
            sort=total_order(sort),
            limit=data["per_page"],
            offset=(data["page"] - 1) * data["per_page"],
            by_cursor="cursor" in data,
        )
        page = replace(page, after=_after(data.get("cursor", ""), page))
        search = data.get("q", "")
        wanted = NumberFilter(
            currency=data.get("currency"),
            price_ranges=tuple(
                Filter(column, comparison, data[f"{column}__{comparison}"])
                for column in PRICES
                for comparison in COMPARISONS
                if f"{column}__{comparison}" in data
            ),
            digits=re.sub(r"\D", "", search) or None,
            prefix=search.strip().startswith("+"),
        )
        return NumberListing(wanted=wanted, page=page)


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
    fields["sort"] = ma.fields.String(
        load_default="id",
        metadata={"description": "e.g. value,-setupPrice", "pattern": sort_pattern(sort_names)},
    )
    schema = cast(type[NumberListQuery], NumberListQuery.from_dict(fields, name=name))
    schema.sort_names = sort_names
    class_registry.register(name, schema)  # so the OpenAPI docstrings can name it
    return schema
