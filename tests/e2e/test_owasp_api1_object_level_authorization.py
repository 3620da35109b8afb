"""OWASP API1:2023 Broken Object Level Authorization.

Mosaic's objects (numbers, postal codes, users) belong to the organisation, not to one user:
object-level authorization is the role each object's operations demand, checked on the object
itself (by id or name) before anything about it is read or changed. A refused request leaves the
object exactly as it was, and an id nobody holds is a 404, never a 500 or a hint.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.wiring import service
from tests.e2e.test_platform_errors import assert_problem
from tests.support.owasp import NUMBER, Headers, stored_number

pytestmark = pytest.mark.e2e
CHANGE = {**NUMBER, "monthlyPrice": {"amount": "9.99", "currency": "USD"}}


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("viewer", 403)])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api1_a_number_is_changed_only_by_a_role_allowed_to(
    client: FlaskClient, auth_headers: Headers, method: str, role: str | None, status: int
) -> None:
    url, etag = stored_number(client, auth_headers)
    headers = {"If-Match": etag, **(auth_headers(role) if role else {})}
    body = {"monthlyPrice": CHANGE["monthlyPrice"]} if method == "patch" else CHANGE
    response = client.open(url, method=method.upper(), json=body, headers=headers)
    assert_problem(response, status)
    after = client.get(url)
    assert after.headers["ETag"] == etag
    assert after.get_json()["monthlyPrice"] == NUMBER["monthlyPrice"]


@pytest.mark.parametrize("target", ["editor", "admin"])
def test_api1_a_user_record_is_changed_only_by_an_admin(
    app: Flask, client: FlaskClient, auth_headers: Headers, target: str
) -> None:
    """An editor can neither promote their own record nor reset another user's password."""
    users = service(UserService, app)
    users.create_or_update("editor", role=Role.EDITOR, password="editor-password")
    users.create_or_update("admin", role=Role.ADMIN, password="admin-password")
    takeover = {"role": "admin", "password": "mallory-password"}
    response = client.put(
        f"/api/v1/users/{target}", json=takeover, headers=auth_headers("editor", "editor")
    )
    assert_problem(response, 403)
    for username, password in (("editor", "editor-password"), ("admin", "admin-password")):
        login = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert login.status_code == 200, f"{username}'s password was changed"
    mallory = client.post(
        "/api/v1/auth/token", json={"username": target, "password": "mallory-password"}
    )
    assert_problem(mallory, 401)


@pytest.mark.parametrize(
    "number_id", ["0", "2147483648", "9223372036854775808", "99999999999999999999999"]
)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_api1_an_id_nobody_holds_is_a_404_on_every_operation(
    client: FlaskClient, auth_headers: Headers, version: str, number_id: str
) -> None:
    """Ids past int4 and int8 included: a 404 problem, never a database error."""
    url = f"/api/{version}/numbers/{number_id}"
    headers = {**auth_headers("editor"), "If-Match": "*"}
    assert_problem(client.get(url), 404)
    assert_problem(client.patch(url, json={"value": "+5584900002222"}, headers=headers), 404)
    assert_problem(client.delete(url, headers=headers), 404)


def test_api1_a_refused_id_says_nothing_about_the_object(
    client: FlaskClient, auth_headers: Headers
) -> None:
    """A viewer refused on a number that exists and on one that does not gets the same 403:
    the guard runs before the lookup, so refusals do not enumerate ids."""
    url, etag = stored_number(client, auth_headers)
    missing = url.rsplit("/", 1)[0] + "/2147483000"
    headers = {**auth_headers("viewer"), "If-Match": etag}
    held = assert_problem(client.delete(url, headers=headers), 403)
    absent = assert_problem(client.delete(missing, headers=headers), 403)
    assert held["detail"] == absent["detail"]
