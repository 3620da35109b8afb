"""webargs for every query string, path and body; errors become problem details."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

import marshmallow as ma
from flask import Flask, Request, request
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

from mosaic.platform.errors import BadRequest, InvalidInput

NUL = "\x00"
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


def init_parsing(app: Flask) -> None:
    app.before_request(_refuse_nul_in_url)


class MosaicParser(FlaskParser):
    """Rejects a non-JSON body with 415, a NUL in a string with 422, and turns validation
    errors into `InvalidInput`."""

    DEFAULT_VALIDATION_STATUS = 422

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
        raise InvalidInput(messages)


parser = MosaicParser()
use_args = parser.use_args
