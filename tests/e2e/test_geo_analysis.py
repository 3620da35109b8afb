"""Point lookup, top-N and period comparison on /api/v1, against figures from the CSVs."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql

from mosaic.geo.queries.shapes import postal_code_at_statement
from tests.support.geo import GeoSource, to_cents

pytestmark = pytest.mark.usefixtures("geo_seeded")
API = "/api/v1"


def test_a_point_inside_each_postal_code_finds_it(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    for code, polygon in geo_source.shapes.items():
        point = polygon.representative_point()
        response = client.get(f"{API}/postal-codes/at?lon={point.x}&lat={point.y}&simplify=0.01")

        assert response.status_code == 200
        assert response.mimetype == "application/geo+json"
        properties = response.get_json(force=True)["properties"]
        assert properties["code"] == code
        assert properties["turnover"] == geo_source.total(lambda k, c=code: k["postal_code"] == c)


def test_the_point_lookup_takes_the_filters(client: FlaskClient, geo_source: GeoSource) -> None:
    point = geo_source.shapes["28004"].representative_point()
    url = f"{API}/postal-codes/at?lon={point.x}&lat={point.y}&from=2015-06&to=2015-06&gender=F"
    body = client.get(url).get_json(force=True)

    keep = lambda k: k["postal_code"] == "28004" and k["month"] == "2015-06" and k["gender"] == "F"  # noqa: E731
    assert body["properties"]["turnover"] == geo_source.total(keep)


def test_the_point_lookup_can_leave_the_polygon_out(client: FlaskClient) -> None:
    url = f"{API}/postal-codes/at?lon=-3.7038&lat=40.4168"
    drawn, bare = client.get(url).get_json(force=True), client.get(f"{url}&geometry=false")

    assert bare.status_code == 200
    assert bare.get_json(force=True)["geometry"] is None
    assert bare.get_json(force=True)["properties"] == drawn["properties"]
    assert drawn["geometry"]["type"] == "MultiPolygon"


@pytest.mark.parametrize(("lon", "lat"), [(2.17, 41.38), (-3.0, 40.0), (0, 0)])
def test_a_point_outside_madrid_is_a_404_problem(
    client: FlaskClient, lon: float, lat: float
) -> None:
    response = client.get(f"{API}/postal-codes/at?lon={lon}&lat={lat}")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "lon=" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("lat=40.4", "lon"), ("lon=-3.7", "lat"), ("lon=-190&lat=40", "lon"), ("lon=x&lat=1", "lon")],
)
def test_bad_points_are_400_naming_the_parameter(
    client: FlaskClient, query: str, parameter: str
) -> None:
    response = client.get(f"{API}/postal-codes/at?{query}")

    assert response.status_code == 400
    assert parameter in [e["parameter"] for e in response.get_json()["errors"]]


def test_the_point_lookup_can_use_the_spatial_index(connection: Connection) -> None:
    """101 rows are cheaper to scan, so the planner is told not to: the plan must then find the
    GiST index, which it can only do if the condition is index-able."""
    statement = postal_code_at_statement(-3.70, 40.41).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(connection.execute(text(f"EXPLAIN {statement}")).scalars())

    assert "idx_postal_code_geom" in plan, plan


def _ranked(geo_source: GeoSource, **keep: Any) -> list[tuple[str, str]]:
    sums = geo_source.grouped(["postal_code"], **keep)
    return sorted(
        ((code, total) for (code,), total in sums.items()), key=lambda i: (-Decimal(i[1]), i[0])
    )


def test_top_ten_postal_codes(client: FlaskClient, geo_source: GeoSource) -> None:
    body = client.get(f"{API}/turnover?group_by=postal_code&sort=-total&limit=10").get_json()

    assert [(g["postal_code"], g["turnover"]) for g in body["groups"]] == _ranked(geo_source)[:10]
    assert body["total"] == geo_source.total()


def test_bottom_and_key_order(client: FlaskClient, geo_source: GeoSource) -> None:
    bottom = client.get(f"{API}/turnover?group_by=postal_code&sort=total&limit=3").get_json()
    last_keys = client.get(f"{API}/turnover?group_by=month&sort=-key&limit=2").get_json()

    ascending = sorted(_ranked(geo_source), key=lambda i: Decimal(i[1]))
    assert [g["turnover"] for g in bottom["groups"]] == [t for _, t in ascending[:3]]
    months = sorted(geo_source.grouped(["month"]), reverse=True)[:2]
    assert [(g["month"],) for g in last_keys["groups"]] == months


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("limit=0", "limit"), ("limit=1001", "limit"), ("sort=amount", "sort")],
)
def test_bad_ranking_is_a_400(client: FlaskClient, query: str, parameter: str) -> None:
    response = client.get(f"{API}/turnover?group_by=postal_code&{query}")

    assert response.status_code == 400
    assert [e["parameter"] for e in response.get_json()["errors"]] == [parameter]


def _change(current: Decimal, previous: Decimal) -> tuple[str, str, str | None]:
    percent = None
    if previous:
        exact = (current - previous) * 100 / previous
        percent = str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return to_cents(previous), to_cents(current - previous), percent


def _exact(geo_source: GeoSource, first: str, last: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for keys, amount in geo_source.rows(lambda k: first <= k["month"] <= last):
        sums[keys["gender"]] = sums.get(keys["gender"], Decimal(0)) + amount
    return sums


@pytest.mark.parametrize(
    ("query", "now", "before"),
    [
        (
            "from=2015-04&to=2015-06&compare=previous",
            ("2015-04", "2015-06"),
            ("2015-01", "2015-03"),
        ),
        (
            "from=2015-12&to=2015-12&compare=2015-01/2015-01",
            ("2015-12", "2015-12"),
            ("2015-01", "2015-01"),
        ),
        ("from=2015-02&compare=previous", ("2015-02", "2015-12"), ("2014-03", "2015-01")),
    ],
)
def test_comparison_with_another_period(
    client: FlaskClient,
    geo_source: GeoSource,
    query: str,
    now: tuple[str, str],
    before: tuple[str, str],
) -> None:
    body = client.get(f"{API}/turnover?group_by=gender&{query}").get_json()

    current, previous = _exact(geo_source, *now), _exact(geo_source, *before)
    assert (body["compared_with"]["from"], body["compared_with"]["to"]) == before
    for group in body["groups"]:
        gender = group["gender"]
        expected = _change(current[gender], previous.get(gender, Decimal(0)))
        assert (group["previous_turnover"], group["change"], group["change_percent"]) == expected
        assert group["turnover"] == to_cents(current[gender])
    whole = _change(sum(current.values(), Decimal(0)), sum(previous.values(), Decimal(0)))
    summary = body["compared_with"]
    assert (summary["previous_turnover"], summary["change"], summary["change_percent"]) == whole


def test_a_previous_period_without_paystats_has_no_percentage(client: FlaskClient) -> None:
    body = client.get(f"{API}/turnover?group_by=postal_code&compare=2010-01/2010-12").get_json()

    assert body["groups"]
    assert all(g["previous_turnover"] == "0.00" for g in body["groups"])
    assert all(g["change"] == g["turnover"] for g in body["groups"])
    assert all(g["change_percent"] is None for g in body["groups"])


@pytest.mark.parametrize("value", ["last", "2015-01", "2015-03/2015-01", "2015-1/2015-02"])
def test_a_bad_comparison_is_a_400(client: FlaskClient, value: str) -> None:
    response = client.get(f"{API}/turnover?compare={value}")

    assert response.status_code == 400
    assert [e["parameter"] for e in response.get_json()["errors"]] == ["compare"]


def test_a_previous_period_before_the_year_1_is_a_400(client: FlaskClient) -> None:
    """8,000 years before 1900 was a date out of range: a 500."""
    response = client.get("/api/v1/turnover?from=1900-01&to=9999-12&compare=previous")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "compare"
