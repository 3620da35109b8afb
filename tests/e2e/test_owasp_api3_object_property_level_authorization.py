"""OWASP API3:2023 Broken Object Property Level Authorization.

Mass assignment: a body may name only the properties a client is allowed to set; anything else
(an id, a version, a link, a role's hash, a nested extra) is a 422 naming it, and nothing is
stored. Excessive exposure: a response carries the public properties only.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.wiring import service
from tests.e2e.test_platform_errors import assert_problem
from tests.support.numbers import count, v1_body
from tests.support.owasp import NUMBER, Headers, stored_number

pytestmark = pytest.mark.e2e
V1 = v1_body("+55 84 90000-1111")
READ_ONLY = {"id": 7, "version": 9, "links": {"self": "/api/v2/numbers/7"}}
INTERNAL = {"created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"}


def pointers(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {error["pointer"] for error in assert_problem(response, 422)["errors"]}


@pytest.mark.parametrize(("version", "body"), [("v1", V1), ("v2", NUMBER)])
@pytest.mark.parametrize("extra", [READ_ONLY, INTERNAL, {"currency_rate": "1.0"}])
def test_api3_a_create_refuses_every_property_a_client_may_not_set(
    client: FlaskClient, auth_headers: Headers, version: str, body: dict, extra: dict
) -> None:
    before = count(client)
    response = client.post(
        f"/api/{version}/numbers", json={**body, **extra}, headers=auth_headers("editor")
    )
    assert pointers(response) == {f"#/{name}" for name in extra}
    assert count(client) == before


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_api3_a_change_cannot_move_the_id_or_the_version(
    client: FlaskClient, auth_headers: Headers, method: str
) -> None:
    url, etag = stored_number(client, auth_headers)
    headers = {**auth_headers("editor"), "If-Match": etag}
    response = client.open(url, method=method, json={**NUMBER, **READ_ONLY}, headers=headers)
    assert pointers(response) == {"#/id", "#/version", "#/links"}
    assert client.get(url).headers["ETag"] == etag


def test_api3_a_nested_extra_is_refused_where_it_stands(
    client: FlaskClient, auth_headers: Headers
) -> None:
    money = {**NUMBER["monthlyPrice"], "owner": "mallory"}
    response = client.post(
        "/api/v2/numbers", json={**NUMBER, "monthlyPrice": money}, headers=auth_headers("editor")
    )
    assert pointers(response) == {"#/monthlyPrice/owner"}


def test_api3_a_batch_item_with_an_extra_refuses_the_whole_batch(
    client: FlaskClient, auth_headers: Headers
) -> None:
    before = count(client)
    batch = [v1_body("+55 84 90000-2222"), {**v1_body("+55 84 90000-3333"), "id": 1}]
    response = client.post("/api/v1/numbers/batch", json=batch, headers=auth_headers("editor"))
    assert pointers(response) == {"#/1/id"}
    assert count(client) == before


@pytest.mark.parametrize(
    "extra", [{"username": "root"}, {"password_hash": "$argon2id$..."}, {"disabled": False}]
)
def test_api3_a_user_write_sets_only_role_and_password(
    client: FlaskClient, auth_headers: Headers, extra: dict
) -> None:
    body = {"role": "viewer", "password": "correct horse battery", **extra}
    response = client.put("/api/v1/users/ana", json=body, headers=auth_headers("admin"))
    assert pointers(response) == {f"#/{name}" for name in extra}


def test_api3_responses_expose_only_public_properties(
    app: Flask, client: FlaskClient, auth_headers: Headers
) -> None:
    service(UserService, app).create_or_update("ana", role=Role.VIEWER, password="x" * 12)
    user = client.put(
        "/api/v1/users/ana",
        json={"role": "editor", "password": "y" * 12},
        headers=auth_headers("admin"),
    )
    shown = user.get_json()
    assert shown["username"] == "ana"
    assert shown["role"] == "editor"
    assert set(shown) <= {"username", "role", "disabled"}, "a user's secrets or internals shown"
    url, _etag = stored_number(client, auth_headers)
    assert set(client.get(url).get_json()) == {"id", "value", "monthlyPrice", "setupPrice", "links"}
    v1 = client.get(url.replace("/v2/", "/v1/")).get_json()
    assert set(v1) == {"id", "value", "monthyPrice", "setupPrice", "currency"}
