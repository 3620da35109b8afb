"""The query API on the seeded expanses.csv: the brief's URLs, checked against figures computed
from the CSV here (plain csv + Decimal), not by the application."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.expenses import Row, seed, source_rows

pytestmark = pytest.mark.e2e
API = "/api/v1/expenses"
CENTS = Decimal("0.01")


@pytest.fixture
def rows(app: Flask) -> list[Row]:
    seed(app)
    return source_rows()


def get(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_brief_filter_url_verbatim(client: FlaskClient, rows: list[Row]) -> None:
    body = get(client, f"{API}?amount[gte]=1400&member_name=Sam&limit=500")
    expected = [r for r in rows if r.amount >= 1400 and r.member == "Sam"]
    assert body["meta"]["total"] == len(expected) > 0
    assert sorted(Decimal(e["amount"]) for e in body["data"]) == sorted(r.amount for r in expected)
    assert {e["member"] for e in body["data"]} == {"Sam"}


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("amount[lt]=500", lambda r: r.amount < 500),
        (
            "department[in]=IT,HR&project[ne]=Gaama",
            lambda r: r.department in {"IT", "HR"} and r.project != "Gaama",
        ),
        ("project_name[contains]=alph", lambda r: "alph" in r.project.lower()),
        (
            "date[gte]=2021-12-01&date[lte]=12/31/2021",
            lambda r: r.day.month == 12 and r.day.year == 2021,
        ),
        (
            "departments=Sales&amount[gt]=5000",
            lambda r: r.department == "Sales" and r.amount > 5000,
        ),
    ],
)
def test_filters_match_the_csv(client: FlaskClient, rows: list[Row], query: str, keep: Any) -> None:
    body = get(client, f"{API}?{query}&limit=500")
    assert body["meta"]["total"] == len([r for r in rows if keep(r)])


def test_the_brief_sort_url_and_multi_key_sort(client: FlaskClient, rows: list[Row]) -> None:
    body = get(client, f"{API}?sort=departments&order=desc&limit=500")
    assert [e["department"] for e in body["data"]] == sorted(
        (r.department for r in rows), reverse=True
    )
    body = get(client, f"{API}?sort=-amount,date&limit=500")
    expected = sorted(rows, key=lambda r: (-r.amount, r.day))
    assert [(Decimal(e["amount"]), e["date"]) for e in body["data"]] == [
        (r.amount, r.day.isoformat()) for r in expected
    ]


def test_the_brief_sparse_fieldset(client: FlaskClient, rows: list[Row]) -> None:
    body = get(client, f"{API}?fields=departments,member_name,amount&limit=1")
    assert set(body["data"][0]) == {"id", "department", "member", "amount", "links"}


def test_an_expense_is_denormalized_with_links(client: FlaskClient, rows: list[Row]) -> None:
    first = get(client, f"{API}?limit=1")["data"][0]
    response = client.get(first["links"]["self"])
    assert response.status_code == 200
    assert response.headers["ETag"]
    expense = response.get_json()
    assert (expense["department"], expense["project"], expense["member"]) == ("IT", "Gaama", "Sam")
    assert (expense["amount"], expense["currency"], expense["date"]) == (
        "1200.00",
        "EUR",
        "2021-10-02",
    )
    assert expense["quarter"] == "2021-Q4"
    assert client.get(expense["links"]["department"]).get_json()["name"] == "IT"
    assert client.get(f"{API}/999999").status_code == 404


@pytest.mark.parametrize(
    ("by", "key"),
    [
        ("departments", lambda r: r.department),
        ("project_name", lambda r: r.project),
        ("member_name", lambda r: r.member),
        ("date", lambda r: r.day.isoformat()),
        ("month", lambda r: f"{r.day.year}-{r.day.month:02d}"),
    ],
)
def test_the_brief_aggregates(client: FlaskClient, rows: list[Row], by: str, key: Any) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        sums[key(row)] += row.amount
    body = get(client, f"{API}/aggregates?by={by}")
    name = {"departments": "department", "project_name": "project", "member_name": "member"}.get(
        by, by
    )
    assert {g[name]: Decimal(g["sum"]) for g in body["data"]} == sums
    assert all(isinstance(g["sum"], str) for g in body["data"])


def test_every_metric_and_having(client: FlaskClient, rows: list[Row]) -> None:
    body = get(client, f"{API}/aggregates?by=department&metrics=sum,count,avg,min,max,share")
    grand = sum(r.amount for r in rows)
    for group in body["data"]:
        mine = [r.amount for r in rows if r.department == group["department"]]
        assert group["count"] == len(mine)
        assert group["min"] == str(min(mine))
        assert group["max"] == str(max(mine))
        avg = (sum(mine) / len(mine)).quantize(CENTS, ROUND_HALF_UP)
        assert Decimal(group["avg"]) == avg
        assert Decimal(group["share"]) == (100 * sum(mine) / grand).quantize(CENTS, ROUND_HALF_UP)
    big = get(client, f"{API}/aggregates?by=member&having[sum][gte]=100000&sort=-sum")["data"]
    per_member: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        per_member[row.member] += row.amount
    expected = sorted((s for s in per_member.values() if s >= 100000), reverse=True)
    assert [Decimal(g["sum"]) for g in big] == expected


def test_cursor_pages_walk_both_ways(client: FlaskClient, rows: list[Row]) -> None:
    url = f"{API}?sort=-amount,date&limit=40&cursor="
    seen, pages = [], []
    while url:
        body = get(client, url)
        pages.append(body)
        seen.extend(e["id"] for e in body["data"])
        url = body["links"].get("next")
    assert len(seen) == len(set(seen)) == len(rows)
    assert [Decimal(e["amount"]) for p in pages for e in p["data"]] == sorted(
        (r.amount for r in rows), reverse=True
    )
    back = get(client, pages[2]["links"]["prev"])
    assert [e["id"] for e in back["data"]] == [e["id"] for e in pages[1]["data"]]
    assert "prev" not in pages[0]["links"]


def test_offset_pages_and_link_header(client: FlaskClient, rows: list[Row]) -> None:
    response = client.get(f"{API}?limit=50&offset=100")
    body = response.get_json()
    assert len(body["data"]) == len(rows) - 100
    assert response.headers["X-Total-Count"] == str(len(rows))
    assert 'rel="prev"' in response.headers["Link"]
    assert "next" not in body["links"]


def test_csv_output_streams_every_match(client: FlaskClient, rows: list[Row]) -> None:
    response = client.get(f"{API}?member=Sam", headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("id,department,project,member,amount")
    assert len(lines) - 1 == len([r for r in rows if r.member == "Sam"])
    groups = client.get(f"{API}/aggregates?by=department&format=csv").get_data(as_text=True)
    assert groups.splitlines()[0] == "department,currency,sum,count"


@pytest.mark.parametrize(
    ("query", "parameter", "names"),
    [
        ("colour[eq]=red", "colour[eq]", "department"),
        ("amount[like]=1", "amount[like]", "gte"),
        ("amount[gte]=lots", "amount[gte]", "1400"),
        ("date=2021-02-30", "date", "2021-05-01"),
        ("sort=colour", "sort", "amount"),
        ("fields=colour", "fields", "department"),
        ("limit=501", "limit", "500"),
        ("cursor=eyJzb3J0IjogImlkIn0.AAAA", "cursor", "Link"),
        ("colour=red", "colour", "accepts"),
    ],
)
def test_bad_list_input_is_a_400_naming_what_is_allowed(
    client: FlaskClient, rows: list[Row], query: str, parameter: str, names: str
) -> None:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    (error,) = response.get_json()["errors"]
    assert error["parameter"] == parameter
    assert names in error["detail"]


@pytest.mark.parametrize(
    ("query", "names"),
    [("by=colour", "department"), ("metrics=median", "share"), ("having[median][gte]=1", "sum")],
)
def test_bad_aggregate_input_is_a_400(
    client: FlaskClient, rows: list[Row], query: str, names: str
) -> None:
    response = client.get(f"{API}/aggregates?{query}")
    assert response.status_code == 400
    assert names in response.get_json()["errors"][0]["detail"]


def test_a_cursor_from_another_sort_is_refused(client: FlaskClient, rows: list[Row]) -> None:
    cursor_url = get(client, f"{API}?sort=amount&limit=5&cursor=")["links"]["next"]
    tampered = cursor_url.replace("sort=amount", "sort=-amount")
    assert client.get(tampered).status_code == 400


@pytest.mark.parametrize(
    "attack",
    ["'; DROP TABLE expense; --", "Sam' OR '1'='1", "%' OR 1=1 --", "\\'; DELETE FROM member"],
)
def test_injection_text_changes_nothing(client: FlaskClient, rows: list[Row], attack: str) -> None:
    for parameter in ("member", "member[contains]", "department[in]"):
        body = get(
            client, f"{API}?" + parameter + "=" + attack.replace("%", "%25").replace("'", "%27")
        )
        assert body["meta"]["total"] == 0
    assert get(client, API)["meta"]["total"] == len(rows)
