"""The OpenAPI 3.1 document, built by apispec from the views' docstrings and marshmallow schemas,
and Swagger UI at /docs from the assets flask-swagger-ui installs (no CDN)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_swagger_ui import get_swaggerui_blueprint

F = TypeVar("F", bound=Callable[..., Any])
UNDOCUMENTED_ENDPOINTS = {"static", "openapi.document"}
UNDOCUMENTED_BLUEPRINTS = {"swagger_ui", "web"}  # web: HTML pages, not API operations
TAGS_EXTENSION = "mosaic.openapi.tags"
OPERATIONS_TAG = {"name": "operations", "description": "Health and build information."}


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(metadata={"example": "about:blank"})
    title = ma.fields.String(metadata={"example": "Not Found"})
    status = ma.fields.Integer(metadata={"example": 404})
    detail = ma.fields.String(metadata={"example": "No phone number has the id 42."})
    instance = ma.fields.String(metadata={"example": "/api/v1/numbers/42"})
    request_id = ma.fields.String(metadata={"example": "6f1c2a9e-4f0b-4a7e-9f57-2f4c1f0f6a7d"})
    errors = ma.fields.List(
        ma.fields.Dict(),
        metadata={"example": [{"pointer": "#/setupPrice", "detail": "Must be at least 0."}]},
    )


PROBLEM_RESPONSES = {
    "BadRequest": "The query string or path is invalid, or the body is not valid JSON.",
    "Unauthorized": "A token is missing, invalid, expired or revoked.",
    "Forbidden": "The token's role is too low for this operation.",
    "NotFound": "No such resource.",
    "Conflict": "The change conflicts with stored data (a duplicate).",
    "PreconditionFailed": "If-Match does not match the current ETag.",
    "PreconditionRequired": "The request needs an If-Match header.",
    "PayloadTooLarge": "The body is larger than MAX_CONTENT_LENGTH (1 MiB).",
    "UriTooLong": "The URL is longer than the server reads (nginx: 8 KiB).",
    "UnsupportedMediaType": "The body must be application/json.",
    "UnprocessableEntity": "The body failed validation; see `errors`.",
    "TooManyRequests": "Rate limit exceeded; see Retry-After.",
    "ServiceUnavailable": "A dependency (the database) is unavailable.",
}


def operation(yaml: str) -> Callable[[F], F]:
    """Attach OpenAPI YAML (what apispec's FlaskPlugin reads) to a view as its docstring.

    For operations kept apart from the views, e.g. generated from one template per version.
    """

    def attach(view: F) -> F:
        view.__doc__ = yaml
        return view

    return attach


def documented(endpoint: str) -> bool:
    return endpoint not in UNDOCUMENTED_ENDPOINTS and endpoint.split(".", maxsplit=1)[0] not in (
        UNDOCUMENTED_BLUEPRINTS
    )


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="Mosaic API",
        version=str(app.config.get("VERSION", "0")),
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={
            "description": "One layered data API over PostgreSQL + PostGIS, a tag per bounded "
            "context. Errors are RFC 9457 problem details.",
        },
        servers=[{"url": "/"}],
    )
    spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for name, description in PROBLEM_RESPONSES.items():
        spec.components.response(
            name,
            {
                "description": description,
                "content": {"application/problem+json": {"schema": "Problem"}},
            },
        )
    spec.components.response("NotModified", {"description": "Unchanged since the ETag sent."})
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if documented(rule.endpoint):
                spec.path(view=app.view_functions[rule.endpoint], app=app)
    built = spec.to_dict()
    _add_shared_statuses(built["paths"])
    built["tags"] = _used_tags(built["paths"], app.extensions.get(TAGS_EXTENSION, []))
    return built


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def _add_shared_statuses(paths: dict[str, Any]) -> None:
    """What the platform may answer to any data operation (everything but the operations tag:
    /api, /graphql, /ogc), listed once here for all of them: an unknown query parameter (400),
    a bad token (401, even on public reads), a URL too long (414), the rate limit (429), the
    database down (503), a conditional GET (304), and for a body an unreadable one (400), one
    too large (413), not JSON (415) or holding text PostgreSQL cannot store (422)."""
    for operations in paths.values():
        for method, operation_ in operations.items():
            if OPERATIONS_TAG["name"] in operation_.get("tags", []):
                continue  # /health and /version: never limited, never need a token
            responses = operation_.setdefault("responses", {})
            shared = {
                "400": "BadRequest",
                "401": "Unauthorized",
                "414": "UriTooLong",
                "429": "TooManyRequests",
                "503": "ServiceUnavailable",
            }
            if method == "get":
                shared["304"] = "NotModified"
            if "requestBody" in operation_:  # 422: a NUL or a lone surrogate in any JSON string
                shared |= {
                    "413": "PayloadTooLarge",
                    "415": "UnsupportedMediaType",
                    "422": "UnprocessableEntity",
                }
            for status, name in shared.items():
                responses.setdefault(status, _ref(name))


def _used_tags(paths: dict[str, Any], known: list[dict[str, str]]) -> list[dict[str, str]]:
    """The tags some operation carries, described, in the contexts' order: none for a context
    that serves nothing yet."""
    used = {tag for ops in paths.values() for op in ops.values() for tag in op.get("tags", [])}
    return [tag for tag in known if tag["name"] in used]


blueprint = Blueprint("openapi", __name__)


@blueprint.get("/openapi.json")
def document() -> ResponseReturnValue:
    spec = current_app.extensions.get("openapi_spec")
    if spec is None:
        spec = current_app.extensions["openapi_spec"] = build_spec(current_app)
    return jsonify(spec)


def init_openapi(app: Flask, *, tags: list[dict[str, str]]) -> None:
    """`tags`: every tag's name and description, in the order the document lists them."""
    app.extensions[TAGS_EXTENSION] = [*tags, OPERATIONS_TAG]
    app.register_blueprint(blueprint)
    app.register_blueprint(
        get_swaggerui_blueprint(
            "/docs",
            "/openapi.json",
            config={"app_name": "Mosaic API", "persistAuthorization": True},
        )
    )
