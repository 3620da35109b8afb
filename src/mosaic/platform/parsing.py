"""webargs for every query string, path and body; errors become problem details."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar, cast

import marshmallow as ma
from flask import Flask, Request, current_app, request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

from mosaic.platform.errors import BadRequest, InvalidInput

F = TypeVar("F", bound=Callable[..., Any])
NUL = "\x00"
QUERY_MARK = "mosaic_reads_query"
UNKNOWN_FIELD = "Unknown field."
NUL_DETAIL = "Must not contain a NUL character (\\u0000)."
SURROGATE_DETAIL = "Must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)."
MAX_JSON_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def load_json_body(data: bytes) -> Any:
    """The one reader of every JSON body: a document, or a 400/422 problem, never a 500.

    Refused with 400: bytes that are not UTF-8, text that is not JSON, nesting deeper than
    MAX_JSON_DEPTH, an integer literal over Python's 4,300 digits. Refused with 422 naming the
    field: a string holding NUL (PostgreSQL text cannot) or a lone surrogate (not encodable).
    """
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadRequest(f"The body is not UTF-8: {error.reason} at byte {error.start}.") from error
    except json.JSONDecodeError as error:
        raise BadRequest(f"The body is not valid JSON: {error}") from error
    except RecursionError as error:
        raise BadRequest(_too_deep()) from error
    except ValueError as error:  # int() refuses literals over sys.get_int_max_str_digits()
        raise BadRequest("The body holds a number with too many digits.") from error
    _inspect(document)
    return document


def _too_deep() -> str:
    return f"The body nests arrays or objects deeper than {MAX_JSON_DEPTH} levels."


def _inspect(document: Any) -> None:
    """Depth, NUL and surrogates, walked with a stack (no recursion however deep the input)."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[Any, tuple[str, ...]]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            raise BadRequest(_too_deep())
        if isinstance(value, str):
            _check_string(value, path, found)
        elif isinstance(value, dict):
            for key, child in value.items():
                _check_string(key, (*path, key), found)
                stack.append((child, (*path, key)))
        elif isinstance(value, list):
            stack.extend((child, (*path, str(i))) for i, child in enumerate(value))
    if found:
        raise InvalidInput({"json": found})


def _check_string(value: str, path: tuple[str, ...], found: dict[str, list[str]]) -> None:
    match = _UNSTORABLE.search(value)
    if match:
        pointer = "/".join(_printable(step) for step in path)
        found[pointer] = [NUL_DETAIL if match.group() == NUL else SURROGATE_DETAIL]


def _printable(step: str) -> str:
    """A path step fit for the problem document (which is encoded as UTF-8 too)."""
    return _UNSTORABLE.sub("\ufffd", step)


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


class _BodyJson:
    """What `request.get_json()` decodes with: the same reader as every parsed body."""

    loads = staticmethod(load_json_body)


class BodyRequest(Request):
    json_module = _BodyJson


def init_parsing(app: Flask) -> None:
    app.request_class = BodyRequest
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
    """Rejects a non-JSON body with 415, reads a JSON one with `load_json_body`, and turns
    validation errors into `InvalidInput`."""

    DEFAULT_VALIDATION_STATUS = 422
    # Every query string is whitelisted: a parameter the schema does not name is a 400.
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            raise UnsupportedMediaType(
                "Send the body as JSON with the header 'Content-Type: application/json'."
            )
        data = req.get_data(cache=True)
        return load_json_body(data) if data.strip() else core.missing

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
