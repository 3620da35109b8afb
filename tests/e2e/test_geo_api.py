"""The geo endpoints on the real data, compared with sums computed from the CSVs."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from shapely.geometry import box, shape

from tests.support.geo import GeoSource

pytestmark = pytest.mark.usefixtures("geo_seeded")
API = "/api/v1"


def _groups(body: dict[str, Any], keys: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    return {tuple(g[k] for k in keys): g["turnover"] for g in body["groups"]}


def test_choropleth_has_every_postal_code_with_its_turnover(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    response = client.get(f"{API}/postal-codes")

    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert len(response.data) <= 150 * 1024
    body = response.get_json(force=True)
    assert body["type"] == "FeatureCollection"
    expected = geo_source.grouped(["postal_code"])
    turnovers = {f["properties"]["code"]: f["properties"]["turnover"] for f in body["features"]}
    assert set(turnovers) == set(geo_source.code_of.values())
    assert {c: t for c, t in turnovers.items() if t != "0.00"} == {
        code: expected[(code,)] for (code,) in expected
    }
    zeros = [f for f in body["features"] if f["properties"]["turnover"] == "0.00"]
    assert len(zeros) == len(turnovers) - len(expected)
    assert all(f["properties"]["legend_class"] == 0 for f in zeros)


def test_legend_classes_follow_the_breaks(client: FlaskClient) -> None:
    body = client.get(f"{API}/postal-codes?classes=4").get_json(force=True)

    breaks = [float(b) for b in body["legend"]["breaks"]]
    assert len(breaks) == 5
    assert breaks == sorted(breaks)
    for feature in body["features"]:
        turnover, found = float(feature["properties"]["turnover"]), feature["properties"]
        if turnover == 0:
            continue
        cls = found["legend_class"]
        assert 1 <= cls <= 4
        assert breaks[cls - 1] <= turnover <= breaks[cls]
    counts = [sum(f["properties"]["legend_class"] == c for f in body["features"]) for c in range(5)]
    assert all(count > 0 for count in counts[1:])


def test_choropleth_filters_match_the_csv(client: FlaskClient, geo_source: GeoSource) -> None:
    url = f"{API}/postal-codes?from=2015-03&to=2015-05&age=25-34,>=65&gender=M"
    body = client.get(url).get_json(force=True)

    def keep(k: dict[str, str]) -> bool:
        return (
            "2015-03" <= k["month"] <= "2015-05"
            and k["age"] in {"25-34", ">=65"}
            and (k["gender"] == "M")
        )

    expected = geo_source.grouped(["postal_code"], keep)
    for feature in body["features"]:
        code = feature["properties"]["code"]
        assert feature["properties"]["turnover"] == expected.get((code,), "0.00")


def test_bbox_keeps_the_postal_codes_that_intersect_it(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    view = (-3.72, 40.40, -3.68, 40.43)
    body = client.get(f"{API}/postal-codes?bbox={','.join(map(str, view))}").get_json(force=True)

    expected = {code for code, geom in geo_source.shapes.items() if geom.intersects(box(*view))}
    assert {f["properties"]["code"] for f in body["features"]} == expected
    assert 0 < len(expected) < len(geo_source.shapes)


def test_geometry_options_change_the_payload(client: FlaskClient) -> None:
    small = client.get(f"{API}/postal-codes?precision=3&simplify=0.001")
    full = client.get(f"{API}/postal-codes?precision=6&simplify=0")

    assert len(small.data) < len(full.data)
    for feature in small.get_json(force=True)["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        assert shape(feature["geometry"]).is_valid


def test_one_postal_code_with_its_breakdowns(client: FlaskClient, geo_source: GeoSource) -> None:
    response = client.get(f"{API}/postal-codes/28001")

    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    feature = response.get_json(force=True)
    props = feature["properties"]
    only = lambda k: k["postal_code"] == "28001"  # noqa: E731
    assert props["turnover"] == geo_source.total(only)
    by_month = {(g["month"],): g["turnover"] for g in props["by_month"]}
    assert by_month == geo_source.grouped(["month"], only)
    by_age_gender = {(g["age"], g["gender"]): g["turnover"] for g in props["by_age_gender"]}
    assert by_age_gender == geo_source.grouped(["age", "gender"], only)
    assert shape(feature["geometry"]).intersects(geo_source.shapes["28001"])


def test_an_unknown_postal_code_is_a_404_problem(client: FlaskClient) -> None:
    response = client.get(f"{API}/postal-codes/99999")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "group_by",
    [
        (),
        ("month",),
        ("gender",),
        ("age",),
        ("postal_code",),
        ("month", "gender"),
        ("age", "gender"),
    ],
)
def test_turnover_groups_match_the_csv(
    client: FlaskClient, geo_source: GeoSource, group_by: tuple[str, ...]
) -> None:
    body = client.get(
        f"{API}/turnover?group_by={','.join(group_by)}" if group_by else f"{API}/turnover"
    ).get_json()

    assert body["total"] == geo_source.total()
    if group_by:
        assert _groups(body, group_by) == geo_source.grouped(group_by)
    else:
        assert body["groups"] == []


def test_turnover_filters_match_the_csv(client: FlaskClient, geo_source: GeoSource) -> None:
    url = f"{API}/turnover?group_by=month&postal_code=28001,28004&from=2015-06&gender=F"
    body = client.get(url).get_json()

    def keep(k: dict[str, str]) -> bool:
        return (
            k["postal_code"] in {"28001", "28004"}
            and k["month"] >= "2015-06"
            and (k["gender"] == "F")
        )

    assert body["total"] == geo_source.total(keep)
    assert _groups(body, ("month",)) == geo_source.grouped(["month"], keep)


def test_turnover_of_the_current_view(client: FlaskClient, geo_source: GeoSource) -> None:
    view = (-3.70, 40.41, -3.69, 40.42)
    inside = {c for c, g in geo_source.shapes.items() if g.intersects(box(*view))}
    body = client.get(f"{API}/turnover?bbox={','.join(map(str, view))}").get_json()

    assert body["total"] == geo_source.total(lambda k: k["postal_code"] in inside)


def test_madrid_is_the_union_with_every_aggregate(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    response = client.get(f"{API}/regions/madrid")

    assert response.status_code == 200
    feature = response.get_json(force=True)
    geometry = shape(feature["geometry"])
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert geometry.is_valid
    from shapely import union_all

    expected = union_all(list(geo_source.shapes.values()))
    assert abs(geometry.area - expected.area) / expected.area < 1e-4
    assert geometry.symmetric_difference(expected).area / expected.area < 1e-4
    props = feature["properties"]
    assert props["turnover"] == geo_source.total()
    for name, key in (("by_month", "month"), ("by_age", "age"), ("by_gender", "gender")):
        assert {(g[key],): g["turnover"] for g in props[name]} == geo_source.grouped([key])


def test_responses_carry_etags_and_answer_304(client: FlaskClient) -> None:
    first = client.get(f"{API}/postal-codes")
    etag = first.headers["ETag"]

    again = client.get(f"{API}/postal-codes", headers={"If-None-Match": etag})
    other = client.get(f"{API}/postal-codes?classes=3")

    assert again.status_code == 304
    assert other.headers["ETag"] != etag
