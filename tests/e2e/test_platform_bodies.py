"""Hostile JSON bodies and hostile (but signed) token claims: a 4xx problem, never a 500.

Found by probing: deep nesting raised RecursionError, a lone surrogate reached argon2 and
psycopg2 (UnicodeEncodeError), an integer literal over 4,300 digits raised ValueError, and a
logout with an odd `jti` or `exp` failed in the database or in datetime.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import jwt as pyjwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_SECRET
from tests.e2e.test_platform_errors import assert_problem

pytestmark = pytest.mark.e2e
WRITE_METHODS = ("POST", "PUT", "PATCH")
BODYLESS_ENDPOINTS = {"auth.logout"}  # reads no body (and would revoke the test's token)
HOSTILE_BODIES = {
    "nested-1000": "[" * 1000 + "]" * 1000,
    "nested-object-100": '{"a":' * 100 + "1" + "}" * 100,
    "lone-surrogate": '{"username": "ana", "password": "\\udfff-long-enough"}',
    "surrogate-key": '{"\\ud800": 1}',
    "int-5000-digits": '{"username": "ana", "password": ' + "9" * 5000 + "}",
    "not-utf8": b'{"username": "\xff\xfe"}',
}


def _json_operations(app: Flask) -> Iterator[tuple[str, str]]:
    """(method, url) of every operation that takes a body, path arguments filled with 1."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in BODYLESS_ENDPOINTS:
            continue
        for method in sorted(set(WRITE_METHODS) & (rule.methods or set())):
            values = dict.fromkeys(rule.arguments, 1)
            yield method, adapter.build(rule.endpoint, values, method=method)


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_no_json_body_gets_a_500_anywhere(
    app: Flask,
    client: FlaskClient,
    auth_headers: Callable[[str], dict[str, str]],
    body: str | bytes,
) -> None:
    headers = {**auth_headers("admin"), "If-Match": "*"}
    operations = list(_json_operations(app))
    assert len(operations) >= 6
    for method, url in operations:
        response = client.open(
            url, method=method, data=body, content_type="application/json", headers=headers
        )
        assert 400 <= response.status_code < 500, (method, url, response.get_data(as_text=True))
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (HOSTILE_BODIES["nested-1000"], 400),
        (HOSTILE_BODIES["nested-object-100"], 400),
        (HOSTILE_BODIES["int-5000-digits"], 400),
        (HOSTILE_BODIES["not-utf8"], 400),
    ],
    ids=["nested-1000", "nested-object-100", "int-5000-digits", "not-utf8"],
)
def test_unreadable_bodies_are_400_at_login(
    client: FlaskClient, body: str | bytes, status: int
) -> None:
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert assert_problem(response, status)["detail"]


def test_a_lone_surrogate_is_a_422_naming_the_field(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/auth/token",
        data=HOSTILE_BODIES["lone-surrogate"],
        content_type="application/json",
    )
    body = assert_problem(response, 422)
    assert [error["pointer"] for error in body["errors"]] == ["#/password"]


def _signed(**claims: object) -> dict[str, str]:
    payload: dict[str, object] = {"sub": "editor", "type": "access", "jti": "j", "fresh": False,
                                  "role": "editor", "exp": int(time.time()) + 600}  # fmt: skip
    payload.update(claims)
    return {"Authorization": f"Bearer {pyjwt.encode(payload, TEST_SECRET, algorithm='HS256')}"}


@pytest.mark.parametrize(
    "claims",
    [
        {"jti": "x" * 65},
        {"jti": "a\x00b"},
        {"jti": 12},
        {"exp": 10**20},
        {"exp": 1e300},
        {"sub": "a\x00b"},
        {"sub": "x" * 5000},
    ],
    ids=["jti-65", "jti-nul", "jti-int", "exp-10e20", "exp-1e300", "sub-nul", "sub-long"],
)
def test_logout_with_odd_claims_is_401(client: FlaskClient, claims: dict[str, object]) -> None:
    response = client.post("/api/v1/auth/logout", headers=_signed(**claims))
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
