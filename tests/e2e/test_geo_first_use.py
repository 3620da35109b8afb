"""What a frontend developer hit on first use of geo (issue 8): filters the region ignored,
unknown postal codes in a filter, age groups sorted as text, TileJSON bounds, tiles' caching
and their own rate limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.geo import GeoSource

pytestmark = pytest.mark.usefixtures("geo_seeded")
API = "/api/v1"
AGES_BY_AGE = ["<=24", "25-34", "35-44", "45-54", "55-64", ">=65"]


def test_the_region_applies_the_shared_filters(client: FlaskClient, geo_source: GeoSource) -> None:
    body = client.get(f"{API}/regions/madrid?from=2015-03&to=2015-05&gender=F&age=<=24").get_json(
        force=True
    )

    def keep(k: dict[str, str]) -> bool:
        return "2015-03" <= k["month"] <= "2015-05" and k["gender"] == "F" and k["age"] == "<=24"

    assert body["properties"]["turnover"] == geo_source.total(keep)
    assert {g["month"] for g in body["properties"]["by_month"]} == {
        "2015-03",
        "2015-04",
        "2015-05",
    }
    assert [g["gender"] for g in body["properties"]["by_gender"]] == ["F"]


@pytest.mark.parametrize(
    ("query", "parameter"), [("gender=X", "gender"), ("from=2015-13", "from"), ("age=18", "age")]
)
def test_the_region_refuses_bad_filters(client: FlaskClient, query: str, parameter: str) -> None:
    response = client.get(f"{API}/regions/madrid?{query}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == parameter


def test_an_unknown_postal_code_in_a_filter_is_a_400_naming_it(client: FlaskClient) -> None:
    response = client.get(f"{API}/turnover?postal_code=28001,99999")
    assert response.status_code == 400
    body = response.get_json()
    assert body["errors"] == [{"parameter": "postal_code", "detail": body["detail"]}]
    assert "99999" in body["detail"]
    assert "28001" not in body["detail"]


@pytest.mark.parametrize(
    ("url", "breakdown"),
    [
        (f"{API}/turnover?group_by=age", "groups"),
        (f"{API}/regions/madrid", "by_age"),
    ],
)
def test_age_groups_are_ordered_by_age(client: FlaskClient, url: str, breakdown: str) -> None:
    body = client.get(url).get_json(force=True)
    found = body.get(breakdown) or body["properties"][breakdown]
    assert [g["age"] for g in found] == AGES_BY_AGE


def test_the_postal_code_detail_orders_ages_by_age(client: FlaskClient) -> None:
    body = client.get(f"{API}/postal-codes/28001").get_json(force=True)
    ages = list(dict.fromkeys(g["age"] for g in body["properties"]["by_age_gender"]))
    assert ages == [a for a in AGES_BY_AGE if a in ages]
    assert ages[0] == "<=24"


def test_tilejson_gives_the_datas_bounds_a_center_and_zooms(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    tilejson = client.get(f"{API}/tiles/postal-codes.json").get_json()
    min_lon, min_lat, max_lon, max_lat = tilejson["bounds"]
    shapes = list(geo_source.shapes.values())
    assert min_lon == pytest.approx(min(s.bounds[0] for s in shapes), abs=1e-4)
    assert min_lat == pytest.approx(min(s.bounds[1] for s in shapes), abs=1e-4)
    assert max_lon == pytest.approx(max(s.bounds[2] for s in shapes), abs=1e-4)
    assert max_lat == pytest.approx(max(s.bounds[3] for s in shapes), abs=1e-4)
    lon, lat, zoom = tilejson["center"]
    assert min_lon < lon < max_lon
    assert min_lat < lat < max_lat
    assert tilejson["minzoom"] <= zoom <= tilejson["maxzoom"]
    assert 0 < tilejson["minzoom"] < tilejson["maxzoom"] <= 22


def test_tiles_are_private_and_never_stored_when_reads_need_a_token(
    make_app: Callable[..., Flask],
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    tile = f"{API}/tiles/postal-codes/12/2005/1544.mvt"
    public = make_app().test_client().get(tile)
    assert public.headers["Cache-Control"] == "public, max-age=300"
    guarded = make_app(AUTH_REQUIRED_FOR_READS=True)
    viewer = auth_headers("viewer", on=guarded)  # a stored user: sessions are checked
    # Another tile: both apps share the test's Redis, where the first one is cached already.
    response = guarded.test_client().get(tile.replace("1544", "1545"), headers=viewer)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in response.headers["Vary"]
    assert guarded.test_client().get(tile.replace("1544", "1545")).status_code == 401


def test_tiles_have_their_own_higher_limit(make_app: Callable[..., Flask]) -> None:
    client = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",  # this app's own counts, not a shared Redis's
        RATELIMIT_DEFAULT="2 per minute",
        TILES_RATE_LIMIT="5 per minute",
    ).test_client()
    tiles = [client.get(f"{API}/tiles/postal-codes/12/2005/1544.mvt").status_code for _ in range(6)]
    assert tiles == [200] * 5 + [429]
    others = [client.get(f"{API}/turnover").status_code for _ in range(3)]
    assert others == [200, 200, 429]
