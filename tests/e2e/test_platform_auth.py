"""JWT auth: tokens, refresh, logout, roles, bad tokens, failed-login limits, the users CLI."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt as pyjwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_jwt_extended import view_decorators
from sqlalchemy import Engine, delete

from mosaic import create_app
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.models import RevokedTokenModel, UserModel
from mosaic.platform.auth.services import UserService
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.wiring import service
from tests.conftest import TEST_SECRET, app_config
from tests.e2e.test_platform_errors import assert_problem

ADMIN_ONLY = "/api/v1/users/someone"
NEW_USER = {"role": "viewer", "password": "correct horse battery"}


@pytest.fixture
def editor(app: Flask) -> dict[str, str]:
    service(UserService, app).create_or_update(
        "editor", role=Role.EDITOR, password="editor-password"
    )
    return {"username": "editor", "password": "editor-password"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _b64(part: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def test_login_refresh_and_logout(client: FlaskClient, editor: dict[str, str]) -> None:
    issued = client.post("/api/v1/auth/token", json=editor)
    assert issued.status_code == 200
    tokens = issued.get_json()
    assert tokens["token_type"] == "Bearer"
    claims = pyjwt.decode(tokens["access_token"], TEST_SECRET, algorithms=["HS256"])
    assert claims["role"] == "editor"
    assert claims["sub"] == "editor"
    assert "exp" in claims

    refreshed = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    assert refreshed.get_json()["access_token"]

    assert (
        client.post("/api/v1/auth/logout", headers=bearer(tokens["refresh_token"])).status_code
        == 204
    )
    again = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert "revoked" in assert_problem(again, 401)["detail"]


def test_wrong_password_is_401(client: FlaskClient, editor: dict[str, str]) -> None:
    response = client.post("/api/v1/auth/token", json={**editor, "password": "not-it"})
    assert_problem(response, 401)


def test_access_token_cannot_refresh(client: FlaskClient, editor: dict[str, str]) -> None:
    access = client.post("/api/v1/auth/token", json=editor).get_json()["access_token"]
    assert_problem(client.post("/api/v1/auth/refresh", headers=bearer(access)), 401)


def test_writes_need_a_token(client: FlaskClient) -> None:
    response = client.put(ADMIN_ONLY, json=NEW_USER)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_too_low_role_is_403(
    client: FlaskClient, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    for role in ("viewer", "editor"):
        body = assert_problem(
            client.put(ADMIN_ONLY, json=NEW_USER, headers=auth_headers(role)), 403
        )
        assert "admin" in body["detail"]
    created = client.put(ADMIN_ONLY, json=NEW_USER, headers=auth_headers("admin"))
    assert created.status_code == 201
    assert created.get_json() == {"username": "someone", "role": "viewer", "disabled": False}
    updated = client.put(ADMIN_ONLY, json=NEW_USER, headers=auth_headers("admin"))
    assert updated.status_code == 200


def test_alg_none_token_is_401(client: FlaskClient) -> None:
    payload = {"sub": "mallory", "role": "admin", "type": "access", "jti": "x",
               "exp": int(time.time()) + 600}  # fmt: skip
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."
    assert_problem(client.put(ADMIN_ONLY, json=NEW_USER, headers=bearer(token)), 401)


@pytest.mark.parametrize(
    ("secret", "claims"),
    [
        ("a-different-secret-of-sufficient-length!!", {}),  # forged signature
        (TEST_SECRET, {"exp": int(time.time()) - 60}),  # expired
        (TEST_SECRET, {"exp": None}),  # no expiry at all
    ],
    ids=["bad-signature", "expired", "no-exp"],
)
def test_bad_tokens_are_401(client: FlaskClient, secret: str, claims: dict[str, object]) -> None:
    payload: dict[str, object] = {"sub": "mallory", "role": "admin", "type": "access", "jti": "j",
                                  "fresh": False, "exp": int(time.time()) + 600}  # fmt: skip
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    token = pyjwt.encode(payload, secret, algorithm="HS256")
    assert_problem(client.put(ADMIN_ONLY, json=NEW_USER, headers=bearer(token)), 401)


def test_repeated_failed_logins_get_429(make_app: Callable[..., Flask]) -> None:
    client = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        RATELIMIT_KEY_PREFIX=uuid.uuid4().hex,  # counters live in Redis across runs
    ).test_client()
    wrong = {"username": "nobody", "password": "wrong-password"}
    statuses = [client.post("/api/v1/auth/token", json=wrong).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = client.post("/api/v1/auth/token", json=wrong)
    assert_problem(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0


def test_reads_can_require_a_token(database_url: str) -> None:
    app = create_app(app_config(DATABASE_URL=database_url, AUTH_REQUIRED_FOR_READS=True))
    app.add_url_rule("/api/v1/probe", view_func=read_access(lambda: {"ok": True}))
    client = app.test_client()
    assert_problem(client.get("/api/v1/probe"), 401)


def test_reads_are_public_by_default(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    app.add_url_rule("/api/v1/probe", view_func=read_access(lambda: {"ok": True}))
    assert app.test_client().get("/api/v1/probe").get_json() == {"ok": True}


def test_production_refuses_a_missing_or_short_secret(database_url: str) -> None:
    for secret in (None, "too-short"):
        with pytest.raises(RuntimeError, match="JWT_SECRET_KEY"):
            create_app(
                app_config(DATABASE_URL=database_url, ENV="production", JWT_SECRET_KEY=secret)
            )


def test_development_makes_a_secret_and_warns(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(app_config(DATABASE_URL=database_url, ENV="development", JWT_SECRET_KEY=None))
    assert len(app.config["JWT_SECRET_KEY"]) >= 32
    assert "JWT_SECRET_KEY is missing or short" in capsys.readouterr().out


def test_users_cli_creates_then_updates(app: Flask) -> None:
    runner = app.test_cli_runner()
    args = ["users", "create", "operator", "--role", "viewer", "--password-stdin"]
    first = runner.invoke(args=args, input="first-password\n")
    assert first.exit_code == 0, first.output
    assert "created operator (viewer)" in first.output

    second = runner.invoke(
        args=[*args[:3], "--role", "admin", "--password-stdin"], input="second-pass\n"
    )
    assert "updated operator (admin)" in second.output
    client = app.test_client()
    login = client.post(
        "/api/v1/auth/token", json={"username": "operator", "password": "second-pass"}
    )
    assert login.status_code == 200

    refused = runner.invoke(args=args, input="short\n")
    assert refused.exit_code != 0
    assert "at least 8" in refused.output


@pytest.mark.parametrize("limited", [True, False], ids=["rate-limited", "no-limiter"])
def test_a_token_is_decoded_once_per_request_and_still_guards_every_route(
    make_app: Callable[..., Flask],
    engine: Engine,
    limited: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The limiter keys a request by its token's user and the view's guard checks the same
    token: it is decoded once, and what is refused stays refused (the count wraps the real
    decoding, it does not replace it)."""
    app = make_app(RATELIMIT_ENABLED=limited, RATELIMIT_KEY_PREFIX=uuid.uuid4().hex)
    users = service(UserService, app)  # on the shared test database: removed again below
    names = ("admin-once", "viewer-once", ADMIN_ONLY.rsplit("/", 1)[1])
    users.create_or_update("admin-once", role=Role.ADMIN, password="admin-once-password")
    users.create_or_update("viewer-once", role=Role.VIEWER, password="viewer-once-password")
    try:
        _decoded_once_and_guarded(app.test_client(), monkeypatch)
    finally:  # not through the service: it refuses to remove the last admin
        with engine.begin() as connection:
            for model in (RevokedTokenModel, UserModel):
                connection.execute(delete(model).where(model.username.in_(names)))
        for name in names:
            users.sessions.forget(name)  # their cached session states


def _decoded_once_and_guarded(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:

    def token(name: str) -> str:
        credentials = {"username": name, "password": f"{name}-password"}
        return str(client.post("/api/v1/auth/token", json=credentials).get_json()["access_token"])

    admin, viewer = token("admin-once"), token("viewer-once")
    decoded: list[str] = []
    real = view_decorators.decode_token

    def counted(*args: Any, **kwargs: Any) -> Any:
        decoded.append(str(args[0])[:8])
        return real(*args, **kwargs)

    monkeypatch.setattr(view_decorators, "decode_token", counted)
    assert client.put(ADMIN_ONLY, json=NEW_USER, headers=bearer(admin)).status_code in {200, 201}
    assert len(decoded) == 1
    assert client.get("/api/v1/numbers?per_page=1", headers=bearer(viewer)).status_code == 200
    assert len(decoded) == 2
    assert_problem(client.put(ADMIN_ONLY, json=NEW_USER, headers=bearer(viewer)), 403)
    assert_problem(client.put(ADMIN_ONLY, json=NEW_USER), 401)
    expired = pyjwt.encode(
        {"sub": "admin-once", "role": "admin", "type": "access", "jti": "j", "fresh": False,
         "exp": int(time.time()) - 60},
        TEST_SECRET,
        algorithm="HS256",
    )  # fmt: skip
    assert_problem(client.put(ADMIN_ONLY, json=NEW_USER, headers=bearer(expired)), 401)
    assert client.post("/api/v1/auth/logout", headers=bearer(admin)).status_code in {200, 204}
    assert_problem(client.put(ADMIN_ONLY, json=NEW_USER, headers=bearer(admin)), 401)
