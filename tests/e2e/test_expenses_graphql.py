"""GraphQL at /graphql: the same filters and aggregates as REST, depth and cost limits, and
GraphiQL's page with no CDN."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.expenses import Row, seed, source_rows

pytestmark = pytest.mark.e2e


@pytest.fixture
def rows(app: Flask) -> list[Row]:
    seed(app)
    return source_rows()


def ask(client: FlaskClient, query: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def test_the_brief_filter_in_graphql(client: FlaskClient, rows: list[Row]) -> None:
    body = ask(
        client,
        '{ expenses(filter: [{field: "amount", op: "gte", value: "1400"},'
        ' {field: "member_name", value: "Sam"}], limit: 500, sort: "-amount")'
        " { items { amount member { name } department { name } } nextCursor } }",
    )
    items = body["data"]["expenses"]["items"]
    expected = sorted(
        (r.amount for r in rows if r.amount >= 1400 and r.member == "Sam"), reverse=True
    )
    assert [Decimal(i["amount"]) for i in items] == expected
    assert {i["member"]["name"] for i in items} == {"Sam"}
    assert body["data"]["expenses"]["nextCursor"] is None


def test_cursors_page_through_everything(client: FlaskClient, rows: list[Row]) -> None:
    seen: list[int] = []
    after = ""
    while True:
        page = ask(
            client, f'{{ expenses(limit: 60, after: "{after}") {{ items {{ id }} nextCursor }} }}'
        )
        seen += [i["id"] for i in page["data"]["expenses"]["items"]]
        after = page["data"]["expenses"]["nextCursor"]
        if not after:
            break
    assert len(seen) == len(set(seen)) == len(rows)


def test_aggregates_in_graphql_match_the_csv(client: FlaskClient, rows: list[Row]) -> None:
    body = ask(client, '{ aggregates(by: ["project_name"], metrics: ["sum", "count"]) }')
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        sums[row.project] += row.amount
    assert {g["project"]: Decimal(g["sum"]) for g in body["data"]["aggregates"]} == sums


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ expenses(filter: [{field: "colour", value: "x"}]) { items { id } } }', "allowed"),
        (
            '{ expenses(filter: [{field: "amount", op: "like", value: "1"}]) { items { id } } }',
            "gte",
        ),
        ("{ expenses(limit: 501) { items { id } } }", "500"),
        ('{ aggregates(by: ["colour"]) }', "department"),
        (
            "{ departments { expenses(limit: 1) { department { expenses(limit: 1) { department"
            " { expenses(limit: 1) { id } } } } } } }",
            "depth",
        ),
        (
            "{ departments { expenses(limit: 500) { project { expenses(limit: 500) { id } } } } }",
            "cost",
        ),
    ],
)
def test_bad_or_too_big_queries_are_graphql_errors(
    client: FlaskClient, rows: list[Row], query: str, message: str
) -> None:
    body = ask(client, query)
    assert body["data"] is None
    assert message in body["errors"][0]["message"]


def test_graphiql_is_served_without_a_cdn(client: FlaskClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "GraphiQL" in page
    assert "https://" not in page
    assert "http://" not in page
    assert client.get("/graphiql/assets/graphiql.js").status_code == 200
    assert client.get("/graphiql/assets/evil.js").status_code == 404


@pytest.mark.parametrize("body", ['"AAA"', "null", "[1]", "3"])
def test_a_body_that_is_not_an_object_is_a_400(client: FlaskClient, body: str) -> None:
    """strawberry read `.get("query")` from any JSON value: a string or null was a 500."""
    response = client.post("/graphql", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "JSON object" in response.get_json()["detail"]
