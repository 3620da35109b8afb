"""v2 (Money prices, E.164) over the same store and rules as v1."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.support.numbers import MOCK

V2 = {
    "value": "+5584912344321",
    "monthlyPrice": {"amount": "0.03", "currency": "USD"},
    "setupPrice": {"amount": "3.40", "currency": "USD"},
}


@pytest.fixture
def editor(auth_headers: Callable[[str], dict[str, str]]) -> dict[str, str]:
    return auth_headers("editor")


def test_one_number_two_representations_one_etag(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    created = client.post("/api/v2/numbers", json=V2, headers=editor)
    assert created.status_code == 201
    body = created.get_json()
    assert body == {**V2, "id": body["id"], "links": {"self": created.headers["Location"]}}
    v1 = client.get(f"/api/v1/numbers/{body['id']}")
    assert v1.get_json() == {"id": body["id"], **MOCK}
    assert v1.headers["ETag"] == created.headers["ETag"]
    duplicate = client.post("/api/v1/numbers", json=MOCK, headers=editor)
    assert duplicate.status_code == 409


def test_both_prices_share_one_currency(client: FlaskClient, editor: dict[str, str]) -> None:
    mixed = {**V2, "setupPrice": {"amount": "3.40", "currency": "EUR"}}
    response = client.post("/api/v2/numbers", json=mixed, headers=editor)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "#/setupPrice/currency"


def test_patch_a_lone_price_keeps_or_refuses_the_currency(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    created = client.post("/api/v2/numbers", json=V2, headers=editor)
    url, etag = created.headers["Location"], created.headers["ETag"]
    other = {"monthlyPrice": {"amount": "0.05", "currency": "EUR"}}
    refused = client.patch(url, json=other, headers={**editor, "If-Match": etag})
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.get_json()["errors"]] == ["#/monthlyPrice/currency"]
    same = {"monthlyPrice": {"amount": "0.05", "currency": "U$"}}
    changed = client.patch(url, json=same, headers={**editor, "If-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["monthlyPrice"] == {"amount": "0.05", "currency": "USD"}
    both = {
        "monthlyPrice": {"amount": "0.05", "currency": "BRL"},
        "setupPrice": {"amount": "1.00", "currency": "BRL"},
    }
    moved = client.patch(url, json=both, headers={**editor, "If-Match": changed.headers["ETag"]})
    assert moved.get_json()["setupPrice"] == {"amount": "1.00", "currency": "BRL"}


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"monthlyPrice": {"amount": "-1", "currency": "USD"}}, "#/monthlyPrice/amount"),
        ({"monthlyPrice": {"amount": 0.03, "currency": "USD"}}, "#/monthlyPrice/amount"),
        ({"setupPrice": {"amount": "1000.01", "currency": "USD"}}, "#/setupPrice/amount"),
        ({"setupPrice": {"amount": "1.00"}}, "#/setupPrice/currency"),
        ({"value": "not a number"}, "#/value"),
        ({"monthyPrice": "0.03"}, "#/monthyPrice"),
    ],
)
def test_bad_input_is_a_422_and_stores_nothing(
    client: FlaskClient, editor: dict[str, str], changes: dict[str, object], pointer: str
) -> None:
    response = client.post("/api/v2/numbers", json={**V2, **changes}, headers=editor)
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]
    assert client.get("/api/v2/numbers").get_json()["total"] == 0


def test_put_needs_every_field_and_delete_needs_if_match(
    client: FlaskClient, editor: dict[str, str]
) -> None:
    created = client.post("/api/v2/numbers", json=V2, headers=editor)
    url, etag = created.headers["Location"], created.headers["ETag"]
    partial = client.put(url, json={"value": V2["value"]}, headers={**editor, "If-Match": etag})
    assert partial.status_code == 422
    assert client.delete(url, headers=editor).status_code == 428
    assert client.delete(url, headers={**editor, "If-Match": "*"}).status_code == 204


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"setupPrice": {"amount": "3.40"}}, "#/setupPrice/currency"),
        ({"monthlyPrice": {"currency": "USD"}}, "#/monthlyPrice/amount"),
        ({"monthlyPrice": {}, "value": "+55 84 91234-4321"}, "#/monthlyPrice/amount"),
    ],
)
def test_patch_refuses_a_partial_money_object(
    client: FlaskClient, editor: dict[str, str], changes: dict[str, object], pointer: str
) -> None:
    """Found by schemathesis: a Money without its currency once reached a KeyError (500)."""
    created = client.post("/api/v2/numbers", json=V2, headers=editor)
    url, etag = created.headers["Location"], created.headers["ETag"]

    response = client.patch(url, json=changes, headers={**editor, "If-Match": etag})

    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]
    assert client.get(url).get_json() == created.get_json()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_an_id_beyond_the_column_is_a_404_for_every_method(
    client: FlaskClient, editor: dict[str, str], method: str, version: str
) -> None:
    """Found by schemathesis: a converter with a maximum made Werkzeug answer 405 here."""
    url = f"/api/{version}/numbers/99999999999999999999999"
    body = V2 if version == "v2" else MOCK
    response = getattr(client, method)(url, json=body, headers={**editor, "If-Match": "*"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
