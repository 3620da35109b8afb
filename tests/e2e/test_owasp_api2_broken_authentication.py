"""OWASP API2:2023 Broken Authentication.

Every kind of guard (an editor's write, an admin's operation, a public read sent a token) is
tried with each forged or spent token, and each is a 401 problem that changes nothing. Also held
elsewhere and not repeated here: alg "none", a bad signature, an expired token and one without
`exp` on the admin endpoint (tests/e2e/test_platform_auth.py: test_alg_none_token_is_401,
test_bad_tokens_are_401), a refresh token revoked by logout (test_login_refresh_and_logout),
failed logins limited (test_repeated_failed_logins_get_429 and, with issue 9,
tests/e2e/test_login_limits.py), sessions ended by a password or role change, disabling or
logout (issue 9: tests/e2e/test_platform_sessions.py).
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.wiring import service
from tests.e2e.test_platform_errors import assert_problem
from tests.support.numbers import count
from tests.support.owasp import NUMBER, bearer, signed

pytestmark = pytest.mark.e2e
PASSWORD = "editor-password"


def _b64(part: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def _tampered() -> str:
    """A valid viewer token whose payload was edited to say admin (the signature kept)."""
    header, payload, signature = signed({"role": "viewer"}).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return f"{header}.{_b64({**claims, 'role': 'admin'})}.{signature}"


def _unsigned() -> str:
    claims = {"sub": "m", "role": "admin", "type": "access", "jti": "n", "exp": time.time() + 600}
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


FORGED = {
    "alg-none": _unsigned,
    "hs512-same-key": lambda: signed({}, algorithm="HS512"),
    "wrong-key": lambda: signed({}, key="another-secret-that-is-long-enough-for-hs256"),
    "expired": lambda: signed({"exp": int(time.time()) - 1}),
    "no-exp": lambda: signed({"exp": None}),
    "refresh-as-access": lambda: signed({"type": "refresh", "role": None}),
    "role-edited": _tampered,
    "not-a-jwt": lambda: "not.a.jwt",
}
GUARDS = {  # (method, url, body): one of each kind of guard
    "editor-write": ("POST", "/api/v2/numbers", NUMBER),
    "admin-write": ("PUT", "/api/v1/users/mallory", {"role": "admin", "password": "x" * 12}),
    "public-read": ("GET", "/api/v2/numbers", None),
}


@pytest.mark.parametrize("guard", GUARDS)
@pytest.mark.parametrize("forged", FORGED)
def test_api2_forged_and_misused_tokens_are_401_everywhere(
    client: FlaskClient, forged: str, guard: str
) -> None:
    method, url, body = GUARDS[guard]
    before = count(client)
    response = client.open(url, method=method, json=body, headers=bearer(FORGED[forged]()))
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(client) == before
    login = client.post("/api/v1/auth/token", json={"username": "mallory", "password": "x" * 12})
    assert_problem(login, 401)


def _login(client: FlaskClient) -> dict[str, str]:
    issued = client.post("/api/v1/auth/token", json={"username": "edna", "password": PASSWORD})
    assert issued.status_code == 200
    return issued.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def editor(app: Flask) -> None:
    service(UserService, app).create_or_update("edna", role=Role.EDITOR, password=PASSWORD)


@pytest.mark.usefixtures("editor")
def test_api2_a_real_refresh_token_cannot_act_as_an_access_token(client: FlaskClient) -> None:
    refresh = _login(client)["refresh_token"]
    assert_problem(client.post("/api/v2/numbers", json=NUMBER, headers=bearer(refresh)), 401)
    assert_problem(client.get("/api/v2/numbers", headers=bearer(refresh)), 401)


@pytest.mark.usefixtures("editor")
def test_api2_a_revoked_access_token_is_refused_on_writes_and_reads(client: FlaskClient) -> None:
    access = _login(client)["access_token"]
    assert client.post("/api/v1/auth/logout", headers=bearer(access)).status_code == 204
    for response in (
        client.post("/api/v2/numbers", json=NUMBER, headers=bearer(access)),
        client.get("/api/v2/numbers", headers=bearer(access)),
        client.post("/api/v1/auth/logout", headers=bearer(access)),
    ):
        assert "revoked" in assert_problem(response, 401)["detail"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer ", "Basic ZWQ6ZWRpdG9yLXBhc3N3b3Jk", "Token abc", "bearer  x.y.z"],
)
def test_api2_a_malformed_authorization_header_is_401_not_500(
    client: FlaskClient, authorization: str
) -> None:
    response = client.post("/api/v2/numbers", json=NUMBER, headers={"Authorization": authorization})
    assert_problem(response, 401)


def test_api2_a_token_in_the_query_string_is_never_read(client: FlaskClient) -> None:
    """Tokens travel in the Authorization header only (never logged in URLs)."""
    token = signed({"role": "editor"})
    response = client.post(f"/api/v2/numbers?jwt={token}", json=NUMBER)
    assert response.status_code in {400, 401}
