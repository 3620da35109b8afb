"""OGC API - Features under /ogc on the real data: the standard's rules, and every figure
compared with sums computed from the CSVs."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from shapely.geometry import box, shape
from shapely.ops import unary_union

from tests.support.geo import GeoSource
from tests.support.ogc import (
    CONFORMANCE_CORE,
    CONFORMANCE_GEOJSON,
    assert_collection,
    assert_conformance,
    assert_feature,
    assert_feature_collection,
    assert_landing_page,
    rels,
)

pytestmark = pytest.mark.usefixtures("geo_seeded")
ITEMS = "/ogc/collections/postal-codes/items"
VIEW = (-3.72, 40.40, -3.68, 40.43)


def _json(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json(force=True)


def _all_items(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    """Every feature, following the next links as a client does."""
    features: list[dict[str, Any]] = []
    while url:
        page = _json(client, url)
        assert_feature_collection(page, limit=1000)
        features += page["features"]
        url = rels(page).get("next", {}).get("href", "")
    return features


def test_landing_page_links_the_definition_conformance_and_data(client: FlaskClient) -> None:
    body = _json(client, "/ogc")

    assert_landing_page(body)
    links = rels(body)
    assert links["service-desc"]["href"].endswith("/openapi.json")
    assert client.get(links["service-desc"]["href"]).status_code == 200
    assert links["data"]["href"].endswith("/ogc/collections")


def test_conformance_lists_only_core_and_geojson(client: FlaskClient) -> None:
    body = _json(client, "/ogc/conformance")

    assert_conformance(body)
    assert sorted(body["conformsTo"]) == [CONFORMANCE_CORE, CONFORMANCE_GEOJSON]


def test_collections_carry_their_extent(client: FlaskClient, geo_source: GeoSource) -> None:
    body = _json(client, "/ogc/collections")

    assert [c["id"] for c in body["collections"]] == ["postal-codes", "madrid"]
    bounds = unary_union(list(geo_source.shapes.values())).bounds
    months = sorted({row["p_month"][:7] for row in geo_source.paystats})
    for collection in body["collections"]:
        assert_collection(collection)
        assert collection["extent"]["spatial"]["bbox"][0] == pytest.approx(bounds)
        interval = collection["extent"]["temporal"]["interval"][0]
        assert interval[0] == f"{months[0]}-01T00:00:00Z"
        assert interval[1].startswith(months[-1])
        assert interval[1].endswith("T23:59:59Z")
        assert _json(client, f"/ogc/collections/{collection['id']}")["id"] == collection["id"]


def test_every_postal_code_comes_back_through_paging(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    first = client.get(ITEMS)
    features = _all_items(client, ITEMS + "?limit=7")

    assert first.mimetype == "application/geo+json"
    assert first.get_json(force=True)["numberReturned"] == 10  # the default limit
    assert len(features) == len(geo_source.shapes) == 101
    assert len({f["id"] for f in features}) == 101
    expected = geo_source.grouped(["postal_code"])
    for feature in features:
        assert feature["id"] == feature["properties"]["code"]
        assert feature["properties"]["turnover"] == expected.get((feature["id"],), "0.00")
        assert 0 <= feature["properties"]["legend_class"] <= 5
        assert shape(feature["geometry"]).is_valid


def test_prev_goes_back_a_page(client: FlaskClient) -> None:
    page = _json(client, ITEMS + "?limit=5&offset=10")
    before = _json(client, rels(page)["prev"]["href"])

    assert [f["id"] for f in before["features"]] == [
        f["id"] for f in _json(client, ITEMS + "?limit=15")["features"][5:10]
    ]
    assert "prev" not in rels(_json(client, ITEMS))


def test_limit_above_the_maximum_means_the_maximum(client: FlaskClient) -> None:
    body = _json(client, ITEMS + "?limit=5000")

    assert body["numberReturned"] == 101
    assert "next" not in rels(body)


def test_bbox_keeps_the_intersecting_features(client: FlaskClient, geo_source: GeoSource) -> None:
    features = _all_items(client, f"{ITEMS}?limit=20&bbox={','.join(map(str, VIEW))}")

    expected = {c for c, geom in geo_source.shapes.items() if geom.intersects(box(*VIEW))}
    assert {f["id"] for f in features} == expected
    assert 0 < len(expected) < 101


@pytest.mark.parametrize(
    ("datetime", "first", "last"),
    [
        ("2015-03-15", "2015-03", "2015-03"),
        ("2015-03-01T10:00:00Z/2015-05-31T00:00:00Z", "2015-03", "2015-05"),
        ("2015-10-01/..", "2015-10", "9999-12"),
        ("../2015-02-28", "0000-01", "2015-02"),
    ],
)
def test_datetime_sums_the_months_it_touches(
    client: FlaskClient, geo_source: GeoSource, datetime: str, first: str, last: str
) -> None:
    features = _all_items(client, f"{ITEMS}?limit=1000&datetime={datetime}")

    expected = geo_source.grouped(["postal_code"], lambda k: first <= k["month"] <= last)
    assert expected != geo_source.grouped(["postal_code"])  # the filter changes the sums
    for feature in features:
        assert feature["properties"]["turnover"] == expected.get((feature["id"],), "0.00")


def test_code_filters_one_feature(client: FlaskClient, geo_source: GeoSource) -> None:
    body = _json(client, f"{ITEMS}?code=28001")

    assert [f["id"] for f in body["features"]] == ["28001"]
    assert body["numberMatched"] == 1
    only = lambda k: k["postal_code"] == "28001"  # noqa: E731
    assert body["features"][0]["properties"]["turnover"] == geo_source.total(only)


def test_one_feature_keeps_the_class_it_has_in_the_list(client: FlaskClient) -> None:
    listed = {f["id"]: f for f in _json(client, ITEMS + "?limit=1000")["features"]}
    feature = _json(client, f"{ITEMS}/28001")

    assert_feature(feature)
    assert feature["properties"] == listed["28001"]["properties"]


def test_madrid_is_one_feature_with_the_whole_turnover(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    body = _json(client, "/ogc/collections/madrid/items")
    outside = _json(client, "/ogc/collections/madrid/items?bbox=0,0,1,1")
    march = _json(client, "/ogc/collections/madrid/items/madrid?datetime=2015-03-02")

    assert_feature_collection(body, limit=10)
    assert [f["id"] for f in body["features"]] == ["madrid"]
    assert body["features"][0]["properties"]["turnover"] == geo_source.total()
    assert outside["numberMatched"] == 0
    assert outside["features"] == []
    in_march = geo_source.total(lambda k: k["month"] == "2015-03")
    assert march["properties"]["turnover"] == in_march


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/nowhere",
        "/ogc/collections/nowhere/items",
        f"{ITEMS}/99999",
        f"{ITEMS}/abc",
        "/ogc/collections/madrid/items/28001",
    ],
)
def test_unknown_collections_and_features_are_404_problems(client: FlaskClient, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("datetime=2015-13-01", "datetime"),
        ("datetime=2015-05-01/2015-03-01", "datetime"),
        ("datetime=../..", "datetime"),
        ("code=2800", "code"),
        ("f=html", "f"),
        ("filter=code='28001'", "filter"),
        ("from=2015-01", "from"),
    ],
)
def test_bad_and_unknown_parameters_are_400_naming_them(
    client: FlaskClient, query: str, parameter: str
) -> None:
    response = client.get(f"{ITEMS}?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert [e["parameter"] for e in response.get_json()["errors"]] == [parameter]


def test_madrid_takes_no_code_and_one_item_takes_no_paging(client: FlaskClient) -> None:
    assert client.get("/ogc/collections/madrid/items?code=28001").status_code == 400
    assert client.get(f"{ITEMS}/28001?limit=3").status_code == 400


@pytest.mark.parametrize("parameter", ["offset", "limit"])
def test_a_page_past_postgresql_s_range_is_a_400(client: FlaskClient, parameter: str) -> None:
    """offset=10^19 reached PostgreSQL's OFFSET and came back a 500."""
    response = client.get(f"/ogc/collections/postal-codes/items?{parameter}=10000000000000000000")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == parameter
