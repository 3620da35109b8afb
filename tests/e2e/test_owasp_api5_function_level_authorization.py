"""OWASP API5:2023 Broken Function Level Authorization.

Every write the application routes (read from its URL map, so a new context's endpoints are
swept as they land) refuses an anonymous caller with 401 and a viewer with 403, and the admin's
functions refuse an editor with 403, before the body is even read (an empty body gets the 403,
not a 422 that would confirm the function exists). The only writes open without a role are
listed in PUBLIC_WRITES, each with the reason.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_platform_errors import assert_problem
from tests.support.owasp import Headers, bearer, signed

pytestmark = pytest.mark.e2e
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_WRITES = {  # endpoint -> why it takes no role
    "auth.issue_token": "logging in is how a role is obtained",
    "auth.refresh_token": "authenticated by the refresh token itself",
    "auth.logout": "authenticated by the token it revokes",
    "expenses_graphql.graphql": "queries only (the schema has no mutations), read like any GET",
    "sensors.receive_push": "Pub/Sub's push: its OIDC token or the verification token, no role "
    "(tests/e2e/test_sensors_push.py)",
}
ADMIN_FUNCTIONS = {"auth.put_user"}
SAMPLE = {"int": "1", "default": "sample"}


def guarded_writes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every routed write that needs a role."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_WRITES:
            continue
        url = re.sub(
            r"<(?:([^:<>]+):)?[^<>]+>",
            lambda m: SAMPLE.get(m.group(1) or "default", SAMPLE["default"]),
            rule.rule,
        )
        found += [
            (rule.endpoint, method, url) for method in sorted((rule.methods or set()) & WRITES)
        ]
    return found


def test_api5_the_sweep_sees_every_context_s_writes(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _method, _url in guarded_writes(app)}
    assert {"auth.put_user", "numbers_v1.create_number", "numbers_v2.delete_number"} <= endpoints
    wired = {e for e in PUBLIC_WRITES if e.split(".", maxsplit=1)[0] in app.blueprints}
    assert wired <= set(app.view_functions), "a public write was renamed"


@pytest.mark.parametrize("role", [None, "viewer"])
def test_api5_no_write_is_open_to_an_anonymous_caller_or_a_viewer(
    app: Flask, client: FlaskClient, auth_headers: Headers, role: str | None
) -> None:
    headers = {"If-Match": "*", **(auth_headers(role) if role else {})}
    status = 403 if role else 401
    for endpoint, method, url in guarded_writes(app):
        response = client.open(url, method=method, json={}, headers=headers)
        assert response.status_code == status, f"{method} {url} ({endpoint})"
        assert_problem(response, status)


def test_api5_the_admin_s_functions_refuse_an_editor(
    app: Flask, client: FlaskClient, auth_headers: Headers
) -> None:
    admin_only = [w for w in guarded_writes(app) if w[0] in ADMIN_FUNCTIONS]
    assert admin_only
    for _endpoint, method, url in admin_only:
        response = client.open(url, method=method, json={}, headers=auth_headers("editor"))
        assert "admin" in assert_problem(response, 403)["detail"]


def test_api5_an_unknown_role_in_a_signed_token_gets_no_function(client: FlaskClient) -> None:
    """403 for a role no guard knows (401 once tokens are checked against a stored user)."""
    response = client.post("/api/v2/numbers", json={}, headers=bearer(signed({"role": "root"})))
    assert response.status_code in {401, 403}
    assert_problem(response, response.status_code)


def test_api5_method_override_headers_do_not_change_the_function(
    client: FlaskClient, auth_headers: Headers
) -> None:
    """A GET dressed as a DELETE stays a GET (no X-HTTP-Method-Override support)."""
    headers = {**auth_headers("viewer"), "X-HTTP-Method-Override": "DELETE", "If-Match": "*"}
    for url in ("/api/v2/numbers", "/api/v2/numbers/1"):
        response = client.get(url, headers=headers)
        assert response.status_code in {200, 404}
    assert (
        client.post(
            "/api/v2/numbers", json={}, headers={**headers, "X-HTTP-Method-Override": "GET"}
        ).status_code
        == 403
    )
