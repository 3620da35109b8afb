"""Vector tiles, TileJSON, cache invalidation by `seed geo`, and the OpenAPI entries."""

from __future__ import annotations

import math
from decimal import Decimal

import mapbox_vector_tile
import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.geo.services.seeding import GeoSeeding
from mosaic.platform.wiring import service
from tests.support.geo import GeoSource, read_csv

pytestmark = pytest.mark.usefixtures("geo_seeded")
API = "/api/v1"


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def test_a_tile_over_madrid_has_codes_and_turnover(
    client: FlaskClient, geo_source: GeoSource
) -> None:
    z, x, y = _tile_of(-3.7038, 40.4168, 12)  # Puerta del Sol
    response = client.get(f"{API}/tiles/postal-codes/{z}/{x}/{y}.mvt?gender=F")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    layer = mapbox_vector_tile.decode(response.data)["postal_codes"]
    expected = geo_source.grouped(["postal_code"], lambda k: k["gender"] == "F")
    found = {f["properties"]["code"]: f["properties"]["turnover"] for f in layer["features"]}
    assert "28013" in found
    for code, turnover in found.items():
        assert Decimal(turnover) == Decimal(expected.get((code,), "0"))


def test_a_tile_far_from_madrid_is_empty(client: FlaskClient) -> None:
    z, x, y = _tile_of(151.2, -33.9, 10)  # Sydney

    response = client.get(f"{API}/tiles/postal-codes/{z}/{x}/{y}.mvt")

    assert response.status_code == 204
    assert response.data == b""


def test_tilejson_points_at_the_tiles(client: FlaskClient) -> None:
    body = client.get(f"{API}/tiles/postal-codes.json").get_json()

    assert body["tilejson"] == "3.0.0"
    assert body["tiles"][0].endswith("/api/v1/tiles/postal-codes/{z}/{x}/{y}.mvt")
    assert body["vector_layers"][0]["id"] == "postal_codes"


def test_seeding_new_figures_invalidates_cached_results(
    app: Flask, client: FlaskClient, geo_source: GeoSource
) -> None:
    before = client.get(f"{API}/turnover")
    paystats = read_csv("paystats.csv")
    line, first = paystats[0]
    changed = {**first, "amount": str(Decimal(first["amount"]) + Decimal("100.00"))}

    service(GeoSeeding, app).load(postal_codes=[], paystats=[(line, changed)])
    after = client.get(f"{API}/turnover")

    assert before.get_json()["total"] == geo_source.total()
    expected = Decimal(geo_source.total()) + Decimal("100.00")
    assert Decimal(after.get_json()["total"]) == expected
    assert after.headers["ETag"] != before.headers["ETag"]


def test_every_geo_operation_is_documented_with_examples(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    geo = {
        path: item
        for path, item in paths.items()
        if "postal-codes" in path or path in {f"{API}/turnover", f"{API}/regions/madrid"}
    }

    assert len(geo) == 6
    for item in geo.values():
        operation = item["get"]
        assert any(
            "example" in content
            for response in operation["responses"].values()
            for content in response.get("content", {}).values()
        )
        for parameter in operation.get("parameters", []):
            assert "example" in parameter["schema"], parameter["name"]
            assert parameter.get("description"), parameter["name"]
