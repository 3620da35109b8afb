"""Sessions end when they should: a password change, a role change, disabling or deleting a user
revoke all of the user's tokens on the next request; logout ends both tokens of the session;
the last admin cannot demote, disable or delete themselves."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.wiring import service
from tests.e2e.test_platform_errors import assert_problem

pytestmark = pytest.mark.e2e
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
PASSWORD = "correct horse battery"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(TOKEN, json={"username": username, "password": password})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def still_works(client: FlaskClient, tokens: dict[str, str]) -> tuple[int, int]:
    """(status of a request with the access token, status of a refresh with the refresh token)."""
    access = client.post(REFRESH, headers=bearer(tokens["access_token"]))  # 401 either way
    probe = client.patch(
        "/api/v1/users/nobody-here", json={}, headers=bearer(tokens["access_token"])
    )
    refreshed = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    assert access.status_code == 401
    return probe.status_code, refreshed.status_code


@pytest.fixture
def users(app: Flask) -> Callable[..., None]:
    def create(username: str, role: Role = Role.EDITOR) -> None:
        service(UserService, app).create_or_update(username, role=role, password=PASSWORD)

    return create


@pytest.fixture
def admin(client: FlaskClient, users: Callable[..., None]) -> dict[str, str]:
    users("boss", Role.ADMIN)
    return bearer(login(client, "boss")["access_token"])


def test_a_live_admin_session_works(client: FlaskClient, users: Callable[..., None]) -> None:
    users("root", Role.ADMIN)
    assert still_works(client, login(client, "root")) == (404, 200)


def test_a_password_change_ends_every_session(
    client: FlaskClient, users: Callable[..., None], admin: dict[str, str]
) -> None:
    users("root", Role.ADMIN)
    tokens = login(client, "root")
    changed = client.put(
        "/api/v1/users/root", json={"role": "admin", "password": "a new long password"},
        headers=admin,
    )  # fmt: skip
    assert changed.status_code == 200
    assert still_works(client, tokens) == (401, 401)
    assert login(client, "root", "a new long password")["access_token"]


def test_a_role_change_takes_effect_on_the_next_request(
    client: FlaskClient, users: Callable[..., None], admin: dict[str, str]
) -> None:
    users("root", Role.ADMIN)
    tokens = login(client, "root")
    demoted = client.patch("/api/v1/users/root", json={"role": "viewer"}, headers=admin)
    assert demoted.status_code == 200
    assert demoted.get_json() == {"username": "root", "role": "viewer", "disabled": False}
    assert still_works(client, tokens) == (401, 401)
    fresh = login(client, "root")
    probe = client.patch("/api/v1/users/nobody", json={}, headers=bearer(fresh["access_token"]))
    assert_problem(probe, 403)


def test_disabling_ends_sessions_and_logins_until_enabled(
    client: FlaskClient, users: Callable[..., None], admin: dict[str, str]
) -> None:
    users("ana")
    tokens = login(client, "ana")
    disabled = client.patch("/api/v1/users/ana", json={"disabled": True}, headers=admin)
    assert disabled.get_json()["disabled"] is True
    refreshed = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    assert_problem(refreshed, 401)
    assert_problem(client.post(TOKEN, json={"username": "ana", "password": PASSWORD}), 401)

    client.patch("/api/v1/users/ana", json={"disabled": False}, headers=admin)
    assert login(client, "ana")["access_token"]
    assert_problem(client.post(REFRESH, headers=bearer(tokens["refresh_token"])), 401)


def test_deleting_ends_sessions_and_the_account(
    client: FlaskClient, users: Callable[..., None], admin: dict[str, str]
) -> None:
    users("ana")
    tokens = login(client, "ana")
    assert client.delete("/api/v1/users/ana", headers=admin).status_code == 204
    assert_problem(client.post(REFRESH, headers=bearer(tokens["refresh_token"])), 401)
    assert_problem(client.post(TOKEN, json={"username": "ana", "password": PASSWORD}), 401)
    assert_problem(client.delete("/api/v1/users/ana", headers=admin), 404)
    assert_problem(client.patch("/api/v1/users/ana", json={}, headers=admin), 404)


@pytest.mark.parametrize("sent", ["access_token", "refresh_token"])
def test_logout_ends_both_tokens_of_the_session(
    client: FlaskClient, users: Callable[..., None], sent: str
) -> None:
    users("root", Role.ADMIN)
    ended, other = login(client, "root"), login(client, "root")
    assert client.post(LOGOUT, headers=bearer(ended[sent])).status_code == 204
    assert still_works(client, ended) == (401, 401)
    assert still_works(client, other) == (404, 200)  # another session of the same user lives on


@pytest.mark.parametrize(
    ("method", "body"),
    [("PATCH", {"role": "editor"}), ("PATCH", {"disabled": True}), ("DELETE", None),
     ("PUT", {"role": "viewer", "password": PASSWORD})],
    ids=["demote", "disable", "delete", "put-lower-role"],
)  # fmt: skip
def test_the_last_admin_cannot_remove_themselves(
    client: FlaskClient, admin: dict[str, str], method: str, body: dict[str, object] | None
) -> None:
    response = client.open("/api/v1/users/boss", method=method, json=body, headers=admin)
    assert "last admin" in assert_problem(response, 409)["detail"]
    assert still_works(client, login(client, "boss"))[1] == 200


def test_an_admin_may_step_down_when_another_remains(
    client: FlaskClient, users: Callable[..., None], admin: dict[str, str]
) -> None:
    users("deputy", Role.ADMIN)
    assert (
        client.patch("/api/v1/users/boss", json={"role": "editor"}, headers=admin).status_code
        == 200
    )


def test_user_admin_needs_the_admin_role(client: FlaskClient, users: Callable[..., None]) -> None:
    users("ana")
    editor = bearer(login(client, "ana")["access_token"])
    assert_problem(client.delete("/api/v1/users/ana", headers=editor), 403)
    assert_problem(client.patch("/api/v1/users/ana", json={"role": "admin"}, headers=editor), 403)


def test_users_cli_disables_enables_sets_roles_and_deletes(
    app: Flask, client: FlaskClient, users: Callable[..., None]
) -> None:
    runner = app.test_cli_runner()
    users("boss", Role.ADMIN)
    users("ana")
    tokens = login(client, "ana")

    assert "disabled ana" in runner.invoke(args=["users", "disable", "ana"]).output
    assert_problem(client.post(REFRESH, headers=bearer(tokens["refresh_token"])), 401)
    assert "enabled ana" in runner.invoke(args=["users", "enable", "ana"]).output
    assert "ana is now admin" in runner.invoke(args=["users", "set-role", "ana", "admin"]).output
    assert login(client, "ana")
    demote = runner.invoke(args=["users", "set-role", "ana", "viewer"])
    assert demote.exit_code == 0, demote.output
    deleted = runner.invoke(args=["users", "delete", "ana"])
    assert "deleted ana" in deleted.output
    missing = runner.invoke(args=["users", "disable", "ana"])
    assert missing.exit_code != 0
    assert "no user" in missing.output.lower()


def test_users_cli_refuses_to_remove_the_last_admin(app: Flask, users: Callable[..., None]) -> None:
    users("boss", Role.ADMIN)
    runner = app.test_cli_runner()
    for args in (["disable", "boss"], ["delete", "boss"], ["set-role", "boss", "viewer"]):
        result = runner.invoke(args=["users", *args])
        assert result.exit_code != 0
        assert "last admin" in result.output


def test_a_change_in_one_worker_ends_sessions_in_another(make_app: Callable[..., Flask]) -> None:
    """Two apps (two gunicorn workers) on one database and one Redis: no stale cached state."""
    first, second = make_app(), make_app()
    name = f"w-{uuid.uuid4().hex[:12]}"
    service(UserService, first).create_or_update(name, role=Role.EDITOR, password=PASSWORD)
    try:
        tokens = login(first.test_client(), name)
        assert (
            second.test_client().post(REFRESH, headers=bearer(tokens["refresh_token"])).status_code
            == 200
        )
        service(UserService, first).disable(name)
        refused = second.test_client().post(REFRESH, headers=bearer(tokens["refresh_token"]))
        assert_problem(refused, 401)
    finally:
        service(UserService, first).delete(name)


@pytest.mark.parametrize("value", [0, 1, "true", None])
def test_disabled_is_a_json_boolean(
    client: FlaskClient, users: Callable[..., None], admin: dict[str, str], value: object
) -> None:
    """`{"disabled": 0}` disabled nobody but answered 200: 1 == True let integers in."""
    users("ana")
    response = client.patch("/api/v1/users/ana", json={"disabled": value}, headers=admin)
    assert_problem(response, 422)
