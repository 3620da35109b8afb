"""webargs for every query string, path and body; errors become problem details."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar, cast

import marshmallow as ma
from flask import Flask, Request, current_app, request
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

from mosaic.platform.errors import BadRequest, InvalidInput

F = TypeVar("F", bound=Callable[..., Any])
NUL = "\x00"
QUERY_MARK = "mosaic_reads_query"
UNKNOWN_FIELD = "Unknown field."
NUL_DETAIL = "Must not contain a NUL character (\\u0000)."


def _nul_paths(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Where a JSON document holds a NUL in a string (PostgreSQL text cannot store one)."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, child in value.items():
            if NUL in str(key):
                yield (*path, str(key))
            yield from _nul_paths(child, (*path, str(key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nul_paths(child, (*path, str(index)))


def _refuse_nul_in_url() -> None:
    """A NUL anywhere in the path or query string is a 400, before any view sees it."""
    names = [n for n, v in request.args.items(multi=True) if NUL in n or NUL in v]
    if NUL in request.path or names:
        raise InvalidInput({"query": {name: [NUL_DETAIL] for name in names or ["path"]}})


def _refuse_a_query_where_none_is_read() -> None:
    """An API endpoint that reads no query string refuses one: a parameter it would ignore
    is a client's mistake (a typo, or a filter it does not have)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not request.args or not request.path.startswith("/api/"):
        return
    if not getattr(view, QUERY_MARK, False):
        detail = "Unknown parameter; this endpoint takes no query parameters."
        raise InvalidInput({"query": {name: [detail] for name in request.args}})


def init_parsing(app: Flask) -> None:
    app.before_request(_refuse_nul_in_url)
    app.before_request(_refuse_a_query_where_none_is_read)


def _unknown_named(messages: dict[str, Any], schema: ma.Schema) -> dict[str, Any]:
    """marshmallow's "Unknown field." on a query string, said with the parameters accepted."""
    found = messages.get("query")
    if not isinstance(found, dict):
        return messages
    allowed = ", ".join(f.data_key or name for name, f in schema.load_fields.items())
    unknown = f"Unknown parameter; this endpoint accepts {allowed}."
    for name, problems in found.items():
        if isinstance(problems, list) and UNKNOWN_FIELD in problems:
            found[name] = [unknown if p == UNKNOWN_FIELD else p for p in problems]
    return messages


class MosaicParser(FlaskParser):
    """Rejects a non-JSON body with 415, a NUL in a string with 422, and turns validation
    errors into `InvalidInput`."""

    DEFAULT_VALIDATION_STATUS = 422
    # Every query string is whitelisted: a parameter the schema does not name is a 400.
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            raise UnsupportedMediaType(
                "Send the body as JSON with the header 'Content-Type: application/json'."
            )
        document = super()._raw_load_json(req)
        found = {"/".join(path): [NUL_DETAIL] for path in _nul_paths(document)}
        if found:
            raise InvalidInput({"json": found})
        return document

    def _handle_invalid_json_error(
        self, error: Exception, req: Request, *args: Any, **kwargs: Any
    ) -> NoReturn:
        raise BadRequest(f"The body is not valid JSON: {error}")

    def handle_error(  # type: ignore[override]
        self,
        error: ma.ValidationError,
        req: Request,
        schema: ma.Schema,
        *,
        error_status_code: int | None,
        error_headers: dict[str, str] | None,
    ) -> NoReturn:
        # webargs has already keyed the messages by location ({"json": {...}}).
        messages = error.messages if isinstance(error.messages, dict) else {"json": error.messages}
        raise InvalidInput(_unknown_named(messages, schema))


parser = MosaicParser()


def use_args(schema: Any, *, location: str, **options: Any) -> Callable[[F], F]:
    """webargs' use_args on the platform's parser; a view that parses its query string is
    marked, so that the views that do not can refuse one."""
    parse = parser.use_args(schema, location=location, **options)

    def decorator(view: F) -> F:
        parsed = parse(view)
        if location == "query":
            setattr(parsed, QUERY_MARK, True)  # functools.wraps carries it to outer wrappers
        return cast(F, parsed)

    return decorator
