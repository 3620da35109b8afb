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
from sqlalchemy import ColumnElement, and_, or_

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


def keyset_after(
    columns: Mapping[str, ColumnElement[Any]], keys: Sequence[SortKey], values: Sequence[Any]
) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys`."""
    branches = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        column = columns[key.name]
        ties = [columns[k.name] == v for k, v in zip(keys[:index], values[:index], strict=True)]
        branches.append(and_(*ties, column < value if key.descending else column > value))
    return or_(*branches)


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


def encode_cursor(keys: Sequence[SortKey], values: Sequence[Any]) -> str:
    """An opaque token for "after `values` in the order of `keys`"."""
    payload = json.dumps({"sort": canonical(keys), "after": [str(v) for v in values]}).encode()
    return f"{_b64(payload)}.{_b64(_signature(payload))}"


def decode_cursor(
    token: str, keys: Sequence[SortKey], decoders: Mapping[str, Callable[[str], Any]]
) -> tuple[Any, ...]:
    """The sort values in `token`, each read back by its column's decoder (text by default)."""
    try:
        body, signature = token.split(".")
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(signature), _signature(payload)):
            raise InvalidCursor("the signature does not match")
        found = json.loads(payload)
        if found["sort"] != canonical(keys) or len(found["after"]) != len(keys):
            raise InvalidCursor("the cursor was made for another sort")
        return tuple(
            decoders.get(k.name, str)(v) for k, v in zip(keys, found["after"], strict=True)
        )
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


def listed(body: Any, *, total: int, links: Mapping[str, str]) -> Response:
    """A list response: the body, `X-Total-Count` and the `Link` header."""
    response = jsonify(body)
    response.headers["X-Total-Count"] = str(total)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response
