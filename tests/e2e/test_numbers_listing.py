"""The list in both versions: pages and Link, totals, cursor, filters, search, sort, bad queries."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from tests.support.numbers import links, v1_body

STOCK = [
    v1_body("+55 84 91234-4321", monthyPrice="0.03", setupPrice="3.40", currency="U$"),
    v1_body("+55 84 98765-4321", monthyPrice="0.50", setupPrice="1.00", currency="R$"),
    v1_body("+55 21 98765-4321", monthyPrice="0.50", setupPrice="2.00", currency="€"),
    v1_body("+1 415-555-0123", monthyPrice="1.20", setupPrice="0.00", currency="U$"),
    v1_body("+55 11 91234-5678", monthyPrice="2.00", setupPrice="5.00", currency="U$"),
    v1_body("+55 31 99876-5432", monthyPrice="0.10", setupPrice="9.00", currency="U$"),
    v1_body("+55 41 99876-1234", monthyPrice="0.20", setupPrice="0.50", currency="R$"),
]


@pytest.fixture
def stock(client: FlaskClient, auth_headers: Callable[[str], dict[str, str]]) -> list[dict]:
    response = client.post("/api/v1/numbers/batch", json=STOCK, headers=auth_headers("editor"))
    assert response.status_code == 201
    return response.get_json()  # type: ignore[no-any-return]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_v1_lists_a_bare_array_with_total_and_page_links(
    client: FlaskClient, stock: list[dict]
) -> None:
    response = client.get("/api/v1/numbers?per_page=3&page=2")
    assert response.status_code == 200
    assert [n["id"] for n in response.get_json()] == [n["id"] for n in stock[3:6]]
    assert response.headers["X-Total-Count"] == str(len(STOCK))
    rels = links(response.headers.get("Link"))
    assert set(rels) == {"first", "prev", "next", "last"}
    assert "page=3" in rels["last"]
    last = client.get(_path(rels["last"]))
    assert [n["id"] for n in last.get_json()] == [stock[6]["id"]]
    assert "next" not in links(last.headers.get("Link"))


def test_v2_lists_an_envelope_in_the_corrected_schema(
    client: FlaskClient, stock: list[dict]
) -> None:
    body = client.get("/api/v2/numbers?per_page=2").get_json()
    assert body["total"] == len(STOCK)
    first = body["items"][0]
    assert first == {
        "id": stock[0]["id"],
        "value": "+5584912344321",
        "monthlyPrice": {"amount": "0.03", "currency": "USD"},
        "setupPrice": {"amount": "3.40", "currency": "USD"},
        "links": {"self": f"/api/v2/numbers/{stock[0]['id']}"},
    }
    assert set(body["links"]) == {"first", "next", "last"}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_cursor_walks_every_number_once(
    client: FlaskClient, stock: list[dict], version: str
) -> None:
    price = "monthyPrice" if version == "v1" else "monthlyPrice"
    url: str | None = f"/api/{version}/numbers?per_page=3&sort=-{price}&cursor="
    seen: list[int] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += [n["id"] for n in (body if version == "v1" else body["items"])]
        following = links(response.headers.get("Link")).get("next")
        url = _path(following) if following else None
    assert sorted(seen) == sorted(n["id"] for n in stock)
    prices = [next(n["monthyPrice"] for n in stock if n["id"] == i) for i in seen]
    assert prices == sorted(prices, key=float, reverse=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "currency=U$",
            {"+55 84 91234-4321", "+1 415-555-0123", "+55 11 91234-5678", "+55 31 99876-5432"},
        ),
        ("currency=BRL", {"+55 84 98765-4321", "+55 41 99876-1234"}),
        (
            "monthyPrice[gte]=0.50&monthyPrice[lt]=2",
            {"+55 84 98765-4321", "+55 21 98765-4321", "+1 415-555-0123"},
        ),
        ("setupPrice[lte]=0.50", {"+1 415-555-0123", "+55 41 99876-1234"}),
        ("q=98765", {"+55 84 98765-4321", "+55 21 98765-4321", "+55 31 99876-5432"}),
        ("q=%2B5584", {"+55 84 91234-4321", "+55 84 98765-4321"}),
        ("q=%2B1 415", {"+1 415-555-0123"}),
        ("currency=R$&q=%2B5541", {"+55 41 99876-1234"}),
    ],
)
def test_filters(client: FlaskClient, stock: list[dict], query: str, expected: set[str]) -> None:
    response = client.get(f"/api/v1/numbers?{query}")
    assert response.status_code == 200
    assert {n["value"] for n in response.get_json()} == expected
    assert response.headers["X-Total-Count"] == str(len(expected))


def test_sort_by_several_keys(client: FlaskClient, stock: list[dict]) -> None:
    body = client.get("/api/v1/numbers?sort=-monthyPrice,setupPrice").get_json()
    keys = [(-float(n["monthyPrice"]), float(n["setupPrice"])) for n in body]
    assert keys == sorted(keys)
    v2 = client.get("/api/v2/numbers?sort=value").get_json()["items"]
    assert [n["value"] for n in v2] == sorted(n["value"] for n in v2)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("sort=price", "sort"),
        ("sort=monthlyPrice", "sort"),
        ("colour=red", "colour"),
        ("monthyPrice[gte]=abc", "monthyPrice[gte]"),
        ("currency=XXX", "currency"),
        ("q=abc", "q"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=&page=2", "page"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(
    client: FlaskClient, query: str, parameter: str
) -> None:
    response = client.get(f"/api/v1/numbers?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert parameter in [e["parameter"] for e in response.get_json()["errors"]]


def test_an_unknown_parameter_lists_the_accepted_ones(client: FlaskClient) -> None:
    detail = client.get("/api/v2/numbers?colour=red").get_json()["errors"][0]["detail"]
    assert "monthlyPrice[gte]" in detail
    assert "sort" in detail


@pytest.mark.parametrize(
    "after", [["1E+999999", "1"], ["NaN", "1"], ["0.01", "x"], ["0.01"], "0.01", None]
)
def test_a_forged_cursor_is_a_400(client: FlaskClient, after: object) -> None:
    payload = json.dumps({"sort": "monthly_price,id", "after": after}).encode()
    cursor = base64.urlsafe_b64encode(payload).decode()
    response = client.get(f"/api/v1/numbers?sort=monthyPrice&cursor={cursor}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "cursor"


def test_a_cursor_from_another_sort_is_refused(client: FlaskClient, stock: list[dict]) -> None:
    response = client.get("/api/v1/numbers?per_page=2&sort=value&cursor=")
    following = _path(links(response.headers["Link"])["next"])
    other_sort = following.replace("sort=value", "sort=-value")
    assert client.get(other_sort).status_code == 400
