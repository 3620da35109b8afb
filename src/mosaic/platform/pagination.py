"""Pages of a list: sort keys, page requests, keyset conditions, signed cursors, Link and totals.

Generic over what is listed: a context names its sortable columns, the platform pages them.
Two ways to page, both on the same request:
- by number or offset (`offset`, `limit`): cheap to jump, slow deep in a large table;
- by keyset cursor (`after`): the sort values of the last row seen, so a page deep in the list
  costs what the first one does. The cursor is opaque and signed: a client can only send back
  one we made, for the same sort.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from flask import Response, current_app, jsonify
from sqlalchemy import ColumnElement, Connection, Row, Select, and_, literal, or_, tuple_

T = TypeVar("T")
TIE_BREAKER = "id"


@dataclass(frozen=True)
class SortKey:
    name: str  # the column's name, never the wire name
    descending: bool = False

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.name


def canonical(keys: Sequence[SortKey]) -> str:
    """`value,-setup_price`: how a sort is named inside a cursor."""
    return ",".join(str(key) for key in keys)


def total_order(sort: Sequence[SortKey], tie_breaker: str = TIE_BREAKER) -> tuple[SortKey, ...]:
    """The sort made total by a trailing unique column, so keyset pages never skip a row."""
    keys = tuple(sort)
    return keys if any(key.name == tie_breaker for key in keys) else (*keys, SortKey(tie_breaker))


@dataclass(frozen=True)
class PageRequest:
    """What a list asks for: the order, the size, and where to start (offset or cursor)."""

    sort: tuple[SortKey, ...] = (SortKey(TIE_BREAKER),)
    limit: int = 50
    offset: int = 0
    after: tuple[Any, ...] | None = None  # sort values of the last row seen (by cursor)
    by_cursor: bool = False
    backward: bool = False  # a prev cursor: the page before `after`, read in reverse

    @property
    def keys(self) -> tuple[SortKey, ...]:
        return total_order(self.sort)

    @property
    def number(self) -> int:
        """The page number (from 1) of an offset request."""
        return self.offset // self.limit + 1


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    last_keys: tuple[Any, ...] | None = field(default=None)  # sort values of the last item
    first_keys: tuple[Any, ...] | None = None  # sort values of the first item (prev cursor)
    has_more: bool = False  # more rows lie beyond this page in the direction read
    counted: bool = True  # False when `total` was not computed (cursor pages skip the count)


def keyset_after(
    columns: Mapping[str, ColumnElement[Any]], keys: Sequence[SortKey], values: Sequence[Any]
) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys`, written so an index can seek there.

    Keys all in one direction compare as a row, `(a, b) > (x, y)`, which PostgreSQL reads as one
    index range. Mixed directions need the expanded form (`a > x OR (a = x AND b < y)`), led by
    the bound on the first key alone (`a >= x`), which an index can still start from.
    """
    cells = [columns[key.name] for key in keys]
    if len({key.descending for key in keys}) == 1:
        row, bound = (
            tuple_(*cells),
            tuple_(*(literal(v, c.type) for c, v in zip(cells, values, strict=True))),
        )
        return row < bound if keys[0].descending else row > bound
    branches = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        column = columns[key.name]
        ties = [columns[k.name] == v for k, v in zip(keys[:index], values[:index], strict=True)]
        branches.append(and_(*ties, column < value if key.descending else column > value))
    first = cells[0] <= values[0] if keys[0].descending else cells[0] >= values[0]
    return and_(first, or_(*branches))


def order_by(
    columns: Mapping[str, ColumnElement[Any]], keys: Sequence[SortKey]
) -> list[ColumnElement[Any]]:
    return [columns[k.name].desc() if k.descending else columns[k.name].asc() for k in keys]


class InvalidCursor(ValueError):
    """A cursor we did not make, or made for another sort."""


def _signature(payload: bytes) -> bytes:
    # Derived from the app's signing key, for this one purpose.
    secret = str(current_app.config["JWT_SECRET_KEY"]).encode()
    key = hashlib.sha256(b"mosaic.pagination.cursor:" + secret).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_cursor(keys: Sequence[SortKey], values: Sequence[Any], *, backward: bool = False) -> str:
    """An opaque token for "after `values` in the order of `keys`" (before, when `backward`)."""
    found: dict[str, Any] = {"sort": canonical(keys), "after": [str(v) for v in values]}
    if backward:
        found["back"] = True
    payload = json.dumps(found).encode()
    return f"{_b64(payload)}.{_b64(_signature(payload))}"


def decode_cursor(
    token: str, keys: Sequence[SortKey], decoders: Mapping[str, Callable[[str], Any]]
) -> tuple[Any, ...]:
    """The sort values in `token`, each read back by its column's decoder (text by default)."""
    return read_cursor(token, keys, decoders)[0]


def read_cursor(
    token: str, keys: Sequence[SortKey], decoders: Mapping[str, Callable[[str], Any]]
) -> tuple[tuple[Any, ...], bool]:
    """The sort values in `token` and whether it points backward (a prev link)."""
    try:
        body, signature = token.split(".")
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(signature), _signature(payload)):
            raise InvalidCursor("the signature does not match")
        found = json.loads(payload)
        if found["sort"] != canonical(keys) or len(found["after"]) != len(keys):
            raise InvalidCursor("the cursor was made for another sort")
        values = tuple(
            decoders.get(k.name, str)(v) for k, v in zip(keys, found["after"], strict=True)
        )
        return values, bool(found.get("back", False))
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidCursor(str(error)) from error


def page_links(
    url: str, args: Mapping[str, list[str]], *, request: PageRequest, page: Page[Any]
) -> dict[str, str]:
    """rel -> URL (RFC 8288): first/prev/next/last by page number, or next by cursor.

    Page-number links use the `page` parameter; `args` are the request's own parameters.
    """

    def link(**changes: Any) -> str:
        merged = {**args, **{k: [str(v)] for k, v in changes.items()}}
        return f"{url}?{urlencode(merged, doseq=True)}"

    if request.by_cursor:
        if page.last_keys is None or len(page.items) < request.limit:
            return {}
        return {"next": link(cursor=encode_cursor(request.keys, page.last_keys))}
    last = max(1, math.ceil(page.total / request.limit))
    links = {"first": link(page=1)}
    if request.number > 1:
        links["prev"] = link(page=min(request.number - 1, last))
    if request.number < last:
        links["next"] = link(page=request.number + 1)
    links["last"] = link(page=last)
    return links


def reversed_keys(keys: Sequence[SortKey]) -> tuple[SortKey, ...]:
    return tuple(SortKey(key.name, not key.descending) for key in keys)


def read_page(
    connection: Connection,
    statement: Select[Any],
    columns: Mapping[str, ColumnElement[Any]],
    request: PageRequest,
) -> tuple[list[Row[Any]], bool]:
    """The rows of one page of `statement` and whether more lie beyond it.

    By offset, or by keyset after (or, backward, before) the cursor's values; one row more than
    the page is read to know whether there is a next one. `columns` name the sortable columns.
    """
    keys = reversed_keys(request.keys) if request.backward else request.keys
    if request.after is not None:
        statement = statement.where(keyset_after(columns, keys, request.after))
    elif not request.by_cursor:
        statement = statement.offset(request.offset)
    statement = statement.order_by(*order_by(columns, keys)).limit(request.limit + 1)
    rows = list(connection.execute(statement).all())
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.backward:
        rows.reverse()
    return rows, has_more


def sort_values(row: Row[Any], keys: Sequence[SortKey]) -> tuple[Any, ...]:
    """The values of a row that a cursor needs (its select labels the sort columns by name)."""
    mapping = row._mapping  # pylint: disable=protected-access  # public API despite the _
    return tuple(mapping[key.name] for key in keys)


def window_links(
    url: str, args: Mapping[str, list[str]], *, request: PageRequest, page: Page[Any]
) -> dict[str, str]:
    """self/first/prev/next for `offset`+`limit` pages or keyset cursors (`cursor=`).

    Cursor pages link both ways: next after the last row, prev before the first one.
    """

    def link(drop: tuple[str, ...] = (), **changes: Any) -> str:
        kept = {k: v for k, v in args.items() if k not in {*drop, *changes}}
        merged = {**kept, **{k: [str(v)] for k, v in changes.items()}}
        return f"{url}?{urlencode(merged, doseq=True)}" if merged else url

    links = {"self": link(), "first": link(drop=("cursor", "offset"))}
    if request.by_cursor:
        more_after = page.has_more if not request.backward else True
        more_before = page.has_more if request.backward else request.after is not None
        if more_before and page.first_keys is not None:
            token = encode_cursor(request.keys, page.first_keys, backward=True)
            links["prev"] = link(drop=("offset",), cursor=token)
        if more_after and page.last_keys is not None:
            links["next"] = link(
                drop=("offset",), cursor=encode_cursor(request.keys, page.last_keys)
            )
        return links
    if request.offset > 0:
        links["prev"] = link(offset=max(0, request.offset - request.limit))
    if page.has_more:
        links["next"] = link(offset=request.offset + request.limit)
    return links


def listed(body: Any, *, total: int | None, links: Mapping[str, str]) -> Response:
    """A list response: the body, `X-Total-Count` (when counted) and the `Link` header."""
    response = jsonify(body)
    if total is not None:
        response.headers["X-Total-Count"] = str(total)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response
