"""The numbers API: both versions' views, made by one factory from each version's description.

The versions share every route, status and rule; they differ in their schemas, their list's
body and their documentation (`ApiVersion`, filled in by api/v1.py and api/v2.py). The ETag is
the entity's version (`"pn-42-v3"`), the same in v1 and v2: one tag per state lets a client
move between versions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import marshmallow as ma
from flask import Blueprint, Request, Response, request, url_for

from mosaic.numbers.domain import PhoneNumber
from mosaic.numbers.openapi_docs import VersionDocs
from mosaic.numbers.queries import NumberListing, PhoneNumberCatalog
from mosaic.numbers.services import PhoneNumberService
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.cache import cached_response
from mosaic.platform.errors import RuleViolation
from mosaic.platform.http import if_match, represent
from mosaic.platform.openapi import operation
from mosaic.platform.pagination import listed, page_links
from mosaic.platform.parsing import use_args
from mosaic.platform.revisions import Revision
from mosaic.platform.wiring import service

P = ParamSpec("P")
R = TypeVar("R")
BATCH_LIMIT = 1000
ITEM = "/<int:number_id>"
ListBody = Callable[[list[Any], int, dict[str, str]], Any]  # (items, total, links) -> body


@dataclass(frozen=True)
class ApiVersion:
    name: str  # "v1"
    docs: VersionDocs
    read: type[ma.Schema]
    create: type[ma.Schema]
    update: type[ma.Schema]
    patch: type[ma.Schema]
    query: type[ma.Schema]
    list_body: ListBody
    wire_names: Mapping[str, str]  # an entity's field -> its JSON pointer path in this version

    def pointer(self, pointer: str) -> str:
        """`#/3/monthly_price` -> `#/3/monthyPrice`: a service's pointer in this version's names."""
        *prefix, field = pointer.split("/")
        return "/".join([*prefix, self.wire_names.get(field, field)])


def _on_the_wire(version: ApiVersion) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Rule violations from the service point at the fields as this version names them."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def named(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return view(*args, **kwargs)
            except RuleViolation as error:
                for found in error.errors or []:
                    if "pointer" in found:
                        found["pointer"] = version.pointer(found["pointer"])
                raise

        return named

    return decorator


def _numbers() -> PhoneNumberService:
    return service(PhoneNumberService)


def _revision() -> Revision:
    return service(PhoneNumberCatalog).revision


def _with_ceiling(schema: type[ma.Schema], **options: Any) -> Callable[[Request], ma.Schema]:
    """A webargs schema factory handing the configured price ceiling to the body schema."""
    return lambda _request: schema(ceiling=_numbers().ceiling, **options)  # type: ignore[call-arg]


def _batch(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A batch holds 1 to BATCH_LIMIT numbers."""
    if not 1 <= len(items) <= BATCH_LIMIT:
        detail = f"Send between 1 and {BATCH_LIMIT} numbers in a batch."
        raise RuleViolation(detail, errors=[{"pointer": "#", "detail": detail}])
    return items


def _changed(fields: dict[str, Any], number_id: int) -> PhoneNumber:
    prices_in = fields.pop("prices_in", None)  # a lone v2 Money's currency (PATCH)
    return _numbers().update(number_id, fields, if_match=if_match(), prices_in=prices_in)


def blueprint_for(version: ApiVersion) -> Blueprint:
    """Both routes of one version: the collection and its items."""
    blueprint = Blueprint(f"numbers_{version.name}", __name__, url_prefix=f"/api/{version.name}")
    _collection_views(blueprint, version)
    _item_views(blueprint, version)
    return blueprint


def _shown(
    version: ApiVersion, number: PhoneNumber, *, status: int = 200, location: str | None = None
) -> Response:
    body = version.read().dump(number)
    return represent(body, etag=number.etag, status=status, location=location)


def _collection_views(blueprint: Blueprint, version: ApiVersion) -> None:
    read_many, docs = version.read(many=True), version.docs

    @blueprint.get("/numbers")
    @operation(docs.list)
    @read_access
    @cached_response(f"numbers-{version.name}", _revision)
    @use_args(version.query(), location="query", unknown=ma.RAISE)
    def list_numbers(listing: NumberListing) -> Response:
        page = service(PhoneNumberCatalog).list(listing)
        args = request.args.to_dict(flat=False)
        links = page_links(request.base_url, args, request=listing.page, page=page)
        body = version.list_body(read_many.dump(page.items), page.total, links)
        return listed(body, total=page.total, links=links)

    @blueprint.post("/numbers")
    @operation(docs.create)
    @require_role(Role.EDITOR)
    @_on_the_wire(version)
    @use_args(_with_ceiling(version.create), location="json")
    def create_number(fields: dict[str, Any]) -> Response:
        number = _numbers().create(fields)
        location = url_for(f"{blueprint.name}.get_number", number_id=number.id)
        return _shown(version, number, status=201, location=location)

    @blueprint.post("/numbers/batch")
    @operation(docs.batch)
    @require_role(Role.EDITOR)
    @_on_the_wire(version)
    @use_args(_with_ceiling(version.create, many=True), location="json")
    def create_numbers(items: list[dict[str, Any]]) -> tuple[Any, int]:
        return read_many.dump(_numbers().create_many(_batch(items))), 201


def _item_views(blueprint: Blueprint, version: ApiVersion) -> None:
    docs = version.docs

    @blueprint.get(f"/numbers{ITEM}")
    @operation(docs.get)
    @read_access
    def get_number(number_id: int) -> Response:
        return _shown(version, _numbers().get_or_raise(number_id))

    @blueprint.put(f"/numbers{ITEM}")
    @operation(docs.replace)
    @require_role(Role.EDITOR)
    @_on_the_wire(version)
    @use_args(_with_ceiling(version.update), location="json")
    def replace_number(fields: dict[str, Any], number_id: int) -> Response:
        return _shown(version, _changed(fields, number_id))

    @blueprint.patch(f"/numbers{ITEM}")
    @operation(docs.change)
    @require_role(Role.EDITOR)
    @_on_the_wire(version)
    @use_args(_with_ceiling(version.patch), location="json")
    def change_number(fields: dict[str, Any], number_id: int) -> Response:
        return _shown(version, _changed(fields, number_id))

    @blueprint.delete(f"/numbers{ITEM}")
    @operation(docs.delete)
    @require_role(Role.EDITOR)
    def delete_number(number_id: int) -> tuple[str, int]:
        _numbers().delete(number_id, if_match=if_match())
        return "", 204
