"""Security headers: tokens are never stored by caches, every response carries a CSP (the docs
page one that lets only its own scripts run; a view's own CSP is kept), and responses to a
request with credentials are `private, no-store` and vary on Authorization."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.wiring import service

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


def directives(response: Response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_token_responses_are_never_stored(app: Flask, client: FlaskClient) -> None:
    service(UserService, app).create_or_update("ana", role=Role.VIEWER, password=PASSWORD)
    issued = client.post("/api/v1/auth/token", json={"username": "ana", "password": PASSWORD})
    assert issued.headers["Cache-Control"] == "no-store"
    assert issued.headers["Pragma"] == "no-cache"
    refresh = issued.get_json()["refresh_token"]
    refreshed = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {refresh}"})
    assert refreshed.status_code == 200
    assert "no-store" in refreshed.headers["Cache-Control"].split(", ")


def test_api_responses_carry_a_strict_csp(client: FlaskClient) -> None:
    for response in (client.get("/version"), client.get("/api/v1/nowhere")):
        policy = directives(response)
        assert policy["default-src"] == "default-src 'none'"
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"


def test_the_docs_page_allows_only_its_own_scripts(client: FlaskClient) -> None:
    page = client.get("/docs/")
    assert page.status_code == 200
    policy = directives(page)
    assert policy["default-src"] == "default-src 'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    inline = re.findall(rb"<script>(.*?)</script>", page.get_data(), re.S)
    assert inline, "the Swagger UI page has its inline bootstrap script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]


def test_a_view_that_sets_its_own_csp_keeps_it(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    own = "default-src 'self'; script-src 'self'"

    def page() -> Response:
        return Response("<p>hi</p>", mimetype="text/html", headers={"Content-Security-Policy": own})

    app.add_url_rule("/ui-probe", view_func=page)
    assert app.test_client().get("/ui-probe").headers["Content-Security-Policy"] == own


def cache_control(response: Response) -> set[str]:
    return set(response.headers.get("Cache-Control", "").split(", "))


def test_responses_to_credentials_are_private_no_store_and_vary_on_authorization(
    client: FlaskClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    editor = auth_headers("editor")
    answers = {
        "read": client.get("/api/v1/numbers", headers=editor),
        "write refused": client.post("/api/v1/numbers", json={}, headers=editor),
        "not found": client.get("/api/v2/numbers/0", headers=editor),
        "bad token": client.get("/api/v1/numbers", headers={"Authorization": "Bearer nope"}),
    }
    assert [answer.status_code for answer in answers.values()] == [200, 422, 404, 401]
    for name, answer in answers.items():
        assert cache_control(answer) == {"private", "no-store"}, name
        assert "Authorization" in answer.headers.get("Vary", ""), name

    anonymous = client.get("/api/v1/numbers")
    assert cache_control(anonymous) == {"no-cache"}
    assert anonymous.headers["ETag"]


def test_a_client_that_keeps_an_authenticated_response_itself_can_still_revalidate(
    client: FlaskClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    viewer = auth_headers("viewer")
    first = client.get("/api/v1/numbers", headers=viewer)
    etag = first.headers["ETag"]
    again = client.get("/api/v1/numbers", headers={**viewer, "If-None-Match": etag})
    assert again.status_code == 304
    assert cache_control(again) == {"private", "no-store"}


def test_every_operation_lists_the_statuses_the_platform_sends(client: FlaskClient) -> None:
    """Found by schemathesis: 400 (an unknown query parameter, an unreadable body) and 415 (a
    body that is not JSON) were sent but not documented."""
    paths = client.get("/openapi.json").get_json()["paths"]
    missing = []
    for path, operations in paths.items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            wanted = {"400", "401", "429"}
            if "requestBody" in operation:
                wanted |= {"413", "415"}
            missing += [
                f"{method.upper()} {path}: {s}" for s in wanted - operation["responses"].keys()
            ]
    assert not missing
