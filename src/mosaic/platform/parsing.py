"""webargs for every query string, path and body; errors become problem details."""

from __future__ import annotations

from typing import Any, NoReturn

import marshmallow as ma
from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

from mosaic.platform.errors import BadRequest, InvalidInput


class MosaicParser(FlaskParser):
    """Rejects a non-JSON body with 415 and turns validation errors into `InvalidInput`."""

    DEFAULT_VALIDATION_STATUS = 422

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            raise UnsupportedMediaType(
                "Send the body as JSON with the header 'Content-Type: application/json'."
            )
        return super()._raw_load_json(req)

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
use_kwargs = parser.use_kwargs
missing = core.missing
