"""OWASP API9:2023 Improper Inventory Management.

The OpenAPI document is the inventory, exactly: every operation it lists is served with that
method, and every route the application serves is in it, except the document itself, Swagger
UI's pages and Flask's static files (UNDOCUMENTED). Paths a scanner tries (old or future
versions, admin and debug pages, dotfiles, user listings) are 404 problems. The route-to-
document direction is also held by tests/e2e/test_platform_ops.py:
test_openapi_document_is_valid_3_1_and_covers_every_route.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.platform.openapi import documented
from tests.e2e.test_platform_errors import assert_problem

pytestmark = pytest.mark.e2e
UNDOCUMENTED = {"static", "openapi.document", "swagger_ui.show"}
ROUTE_MISS = "not found on the server"  # Werkzeug's NotFound, not a view's 404
METHODS = {"get", "put", "post", "patch", "delete"}
PROBES = [
    "/api/v0/numbers", "/api/v3/numbers", "/api/numbers", "/api/v1/admin", "/admin",
    "/api/v1/users", "/api/v1/debug", "/debug", "/console", "/metrics", "/.env", "/.git/HEAD",
    "/api/v1/numbers/export", "/api/v1/auth/users", "/server-status", "/api/v1/openapi.json",
]  # fmt: skip


def served(app: Flask) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every documented route."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not documented(rule.endpoint):  # the platform's own rule: static files, HTML pages
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found |= {(path, m.lower()) for m in rule.methods or set()} & {(path, m) for m in METHODS}
    return found


def test_api9_the_document_lists_exactly_the_operations_served(
    app: Flask, client: FlaskClient
) -> None:
    spec = client.get("/openapi.json").get_json()
    documented = {(path, m) for path, item in spec["paths"].items() for m in item if m in METHODS}
    assert documented == served(app)


def test_api9_only_the_known_endpoints_are_left_out_of_the_document(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    left_out = {e for e in endpoints if not documented(e)}
    assert left_out >= UNDOCUMENTED, "an undocumented endpoint was renamed or removed"
    assert all(e in UNDOCUMENTED or e.startswith("web.") for e in left_out), left_out


def test_api9_every_documented_operation_answers_as_a_route(client: FlaskClient) -> None:
    """Nothing in the document is a ghost: no documented operation is a 404 or 405 route miss."""
    spec = client.get("/openapi.json").get_json()
    for path, item in spec["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in set(item) & METHODS:
            response = client.open(url, method=method.upper())
            body = response.get_json(silent=True) or {}
            missed = response.status_code == 405 or (
                response.status_code == 404 and ROUTE_MISS in body.get("detail", "")
            )
            assert not missed, f"{method.upper()} {path} is documented but not routed"


@pytest.mark.parametrize("path", PROBES)
def test_api9_paths_a_scanner_tries_are_404_problems(client: FlaskClient, path: str) -> None:
    assert ROUTE_MISS in assert_problem(client.get(path), 404)["detail"]
