"""v1 through the Flask test client: the mock's shape, the statuses, nothing stored on refusal."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.numbers import MOCK, count, v1_body

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def editor(auth_headers: Headers) -> dict[str, str]:
    return auth_headers("editor")


def test_create_answers_in_the_mocks_shape(client: FlaskClient, editor: dict[str, str]) -> None:
    response = client.post("/api/v1/numbers", json=MOCK, headers=editor)
    assert response.status_code == 201
    body = response.get_json()
    assert list(body) == ["id", "value", "monthyPrice", "setupPrice", "currency"]
    assert body == {"id": body["id"], **MOCK}
    assert isinstance(body["id"], int)
    assert response.headers["Location"] == f"/api/v1/numbers/{body['id']}"
    fetched = client.get(response.headers["Location"])
    assert fetched.get_json() == body
    assert '"monthyPrice":"0.03","setupPrice":"3.40"' in fetched.get_data(as_text=True)


def test_prices_always_show_two_decimals(client: FlaskClient, editor: dict[str, str]) -> None:
    sent = v1_body("+55 21 98765-4321", monthyPrice="2", setupPrice="0.5", currency="USD")
    body = client.post("/api/v1/numbers", json=sent, headers=editor).get_json()
    assert (body["monthyPrice"], body["setupPrice"], body["currency"]) == ("2.00", "0.50", "U$")


def test_the_same_number_in_another_writing_is_a_conflict(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    client.post("/api/v1/numbers", json=MOCK, headers=editor)
    response = client.post("/api/v1/numbers", json=v1_body("+55 (84) 912344321"), headers=editor)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "+55 84 91234-4321" in response.get_json()["detail"]
    assert count(client) == 1


BAD_BODIES = [
    ({"monthyPrice": "-0.01"}, "monthyPrice"),
    ({"setupPrice": "3.401"}, "setupPrice"),
    ({"setupPrice": "1e400"}, "setupPrice"),
    ({"monthyPrice": "NaN"}, "monthyPrice"),
    ({"monthyPrice": 0.03}, "monthyPrice"),
    ({"monthyPrice": "\uff13.\uff14\uff10"}, "monthyPrice"),  # full-width digits
    ({"setupPrice": "\u0663.\u0664\u0660"}, "setupPrice"),  # Arabic-Indic digits
    ({"setupPrice": "1000.01"}, "setupPrice"),
    ({"currency": "XYZ"}, "currency"),
    ({"value": ""}, "value"),
    ({"value": "+55 84 1234"}, "value"),
    ({"value": 5584912344321}, "value"),
    ({"extra": "1"}, "extra"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_BODIES)
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(
    client: FlaskClient, editor: dict[str, str], changes: dict[str, object], field: str
) -> None:
    response = client.post("/api/v1/numbers", json={**MOCK, **changes}, headers=editor)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert f"#/{field}" in [e["pointer"] for e in response.get_json()["errors"]]
    assert count(client) == 0


def test_json_float_artefacts_never_reach_the_store(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    raw = (
        '{"value": "+55 84 91234-4321", "monthyPrice": NaN, "setupPrice": 1e400, "currency": "U$"}'
    )
    response = client.post(
        "/api/v1/numbers", data=raw, content_type="application/json", headers=editor
    )
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.get_json()["errors"]}
    assert pointers == {"#/monthyPrice", "#/setupPrice"}


def test_missing_fields_on_put_are_named(client: FlaskClient, editor: dict[str, str]) -> None:
    created = client.post("/api/v1/numbers", json=MOCK, headers=editor)
    headers = {**editor, "If-Match": created.headers["ETag"]}
    response = client.put(
        created.headers["Location"], json={"value": MOCK["value"]}, headers=headers
    )
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.get_json()["errors"]}
    assert pointers == {"#/monthyPrice", "#/setupPrice", "#/currency"}


def test_writes_need_if_match_and_refuse_a_stale_one(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    created = client.post("/api/v1/numbers", json=MOCK, headers=editor)
    url, etag = created.headers["Location"], created.headers["ETag"]
    assert client.get(url).headers["ETag"] == etag
    assert client.patch(url, json={"setupPrice": "1.00"}, headers=editor).status_code == 428
    changed = client.patch(url, json={"setupPrice": "1.00"}, headers={**editor, "If-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["setupPrice"] == "1.00"
    assert changed.headers["ETag"] != etag
    stale = client.delete(url, headers={**editor, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    assert client.put(url, json=MOCK, headers=editor).status_code == 428
    fresh = {**editor, "If-Match": changed.headers["ETag"]}
    assert client.delete(url, headers=fresh).status_code == 204
    assert client.get(url).status_code == 404


def test_a_conditional_get_answers_304(client: FlaskClient, editor: dict[str, str]) -> None:
    created = client.post("/api/v1/numbers", json=MOCK, headers=editor)
    again = client.get(
        created.headers["Location"], headers={"If-None-Match": created.headers["ETag"]}
    )
    assert again.status_code == 304


def test_put_replaces_and_can_move_to_another_free_value(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    created = client.post("/api/v1/numbers", json=MOCK, headers=editor)
    other = client.post("/api/v1/numbers", json=v1_body("+55 21 98765-4321"), headers=editor)
    headers = {**editor, "If-Match": created.headers["ETag"]}
    taken = client.put(created.headers["Location"], json=v1_body("+5521987654321"), headers=headers)
    assert taken.status_code == 409
    moved = client.put(
        created.headers["Location"],
        json=v1_body("+55 31 99876-5432", currency="€"),
        headers=headers,
    )
    assert moved.status_code == 200
    assert moved.get_json()["value"] == "+55 31 99876-5432"
    assert moved.get_json()["currency"] == "€"
    assert other.status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/numbers/999999",
        "/api/v1/numbers/abc",
        "/api/v1/numbers/-1",
        "/api/v1/numbers/99999999999999999999",
    ],
)
def test_an_unknown_or_malformed_id_is_a_404_problem(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_reads_are_public_and_writes_need_an_editor(
    client: FlaskClient, auth_headers: Headers
) -> None:
    assert client.get("/api/v1/numbers").status_code == 200
    assert client.post("/api/v1/numbers", json=MOCK).status_code == 401
    viewer = client.post("/api/v1/numbers", json=MOCK, headers=auth_headers("viewer"))
    assert viewer.status_code == 403
    assert count(client) == 0


def test_a_batch_is_all_or_nothing(client: FlaskClient, editor: dict[str, str]) -> None:
    good = [v1_body("+55 84 91234-4321"), v1_body("+55 21 98765-4321")]
    bad = [*good, v1_body("+55 31 99876-5432", setupPrice="-1")]
    refused = client.post("/api/v1/numbers/batch", json=bad, headers=editor)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["pointer"] == "#/2/setupPrice"
    assert count(client) == 0
    created = client.post("/api/v1/numbers/batch", json=good, headers=editor)
    assert created.status_code == 201
    assert [n["value"] for n in created.get_json()] == [g["value"] for g in good]
    again = client.post(
        "/api/v1/numbers/batch", json=[v1_body("+55 31 99876-5432"), good[0]], headers=editor
    )
    assert again.status_code == 409
    assert count(client) == 2


def test_a_batch_must_be_a_non_empty_array(client: FlaskClient, editor: dict[str, str]) -> None:
    assert client.post("/api/v1/numbers/batch", json=[], headers=editor).status_code == 422
    assert client.post("/api/v1/numbers/batch", json=MOCK, headers=editor).status_code == 422


def test_a_non_json_body_is_415(client: FlaskClient, editor: dict[str, str]) -> None:
    response = client.post("/api/v1/numbers", data=json.dumps(MOCK), headers=editor)
    assert response.status_code == 415


def test_the_price_ceiling_is_a_setting(
    make_app: Callable[..., Flask], auth_headers: Headers
) -> None:
    client = make_app(NUMBERS_PRICE_CEILING="5.00").test_client()
    sent = v1_body("+55 84 91234-4321", setupPrice="5.01")
    response = client.post("/api/v1/numbers", json=sent, headers=auth_headers("editor"))
    assert response.status_code == 422
    assert "5.00" in response.get_json()["errors"][0]["detail"]
