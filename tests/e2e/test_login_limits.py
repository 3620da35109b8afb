"""The login limit holds: failed logins counted per client address AND per target username,
the Authorization header ignored on the login route, and the scope of the counters said plainly
(shared through Redis, or per worker without it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from flask import Flask

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.wiring import service
from tests.e2e.test_platform_errors import assert_problem

pytestmark = pytest.mark.e2e
TOKEN = "/api/v1/auth/token"


def limited_app(make_app: Callable[..., Flask], **settings: object) -> Flask:
    return make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=uuid.uuid4().hex, **settings)


def guess(app: Flask, username: str, *, address: str = "192.0.2.1", **headers: str) -> int:
    response = app.test_client().post(
        TOKEN,
        json={"username": username, "password": "wrong-password"},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def test_a_valid_token_does_not_escape_a_locked_address(
    make_app: Callable[..., Flask], auth_headers: Callable[..., dict[str, str]]
) -> None:
    app = limited_app(make_app, LOGIN_RATE_LIMIT="3 per minute")
    token = auth_headers("viewer", "insider", on=app)["Authorization"]
    assert [guess(app, "editor") for _ in range(4)] == [401, 401, 401, 429]
    assert [guess(app, "editor", Authorization=token) for _ in range(3)] == [429] * 3


def test_guesses_at_one_username_from_many_addresses_are_limited(
    make_app: Callable[..., Flask],
) -> None:
    app = limited_app(make_app, LOGIN_RATE_LIMIT="100 per minute", LOGIN_USER_RATE_LIMIT="4/hour")
    statuses = [guess(app, "victim", address=f"198.51.100.{n}") for n in range(1, 7)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    limited = app.test_client().post(
        TOKEN,
        json={"username": "victim", "password": "wrong-password"},
        environ_base={"REMOTE_ADDR": "203.0.113.99"},
    )
    assert "username" in assert_problem(limited, 429)["detail"]
    assert guess(app, "someone-else", address="203.0.113.99") == 401


def test_health_says_where_limits_are_counted(make_app: Callable[..., Flask]) -> None:
    without_redis = limited_app(make_app, REDIS_URL=None).test_client().get("/health")
    limits = without_redis.get_json()["checks"]["rate_limits"]
    assert limits["storage"] == "memory"
    assert "per worker" in limits["scope"]
    with_redis = limited_app(make_app).test_client().get("/health")
    assert with_redis.get_json()["checks"]["rate_limits"]["scope"] == "shared by all workers"


def test_startup_warns_when_limits_are_per_worker(
    make_app: Callable[..., Flask], capsys: pytest.CaptureFixture[str]
) -> None:
    limited_app(make_app, REDIS_URL=None, LOG_LEVEL="INFO")
    assert "per worker" in capsys.readouterr().out


def test_a_successful_login_carries_no_rate_limit_headers(
    make_app: Callable[..., Flask],
) -> None:
    app = limited_app(make_app)
    service(UserService, app).create_or_update(
        "limit-probe", role=Role.VIEWER, password="long-enough-password"
    )
    try:
        response = app.test_client().post(
            TOKEN, json={"username": "limit-probe", "password": "long-enough-password"}
        )
        assert response.status_code == 200
        names = [name.lower() for name, _ in response.headers.items()]
        assert not [name for name in names if name.startswith(("retry-after", "x-ratelimit"))]
    finally:
        service(UserService, app).delete("limit-probe")
