"""A real GIS client: GDAL's OAPIF driver (what QGIS uses) reads /ogc on a live gunicorn.

Layers, paging, a spatial filter (sent as bbox) and a date filter (sent as datetime) must give
the CSV's figures and the same figures as the JSON API."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import box

from tests.e2e.conftest import LiveServer
from tests.support.geo import GeoSource

VIEW = (-3.72, 40.40, -3.68, 40.43)
PAGE_SIZE = 20  # smaller than 101: the driver must follow the next links


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _export(server: LiveServer, tmp_path: Path, layer: str, *options: str) -> list[Any]:
    """`ogr2ogr` of one layer to GeoJSON; its features."""
    target = tmp_path / f"{layer}-{len(list(tmp_path.iterdir()))}.geojson"
    source = f"OAPIF:{server.base_url}/ogc"
    _run(
        "ogr2ogr",
        "-f",
        "GeoJSON",
        "-oo",
        f"PAGE_SIZE={PAGE_SIZE}",
        str(target),
        source,
        layer,
        *options,
    )
    features: list[Any] = json.loads(target.read_text())["features"]
    return features


def _turnovers(features: list[Any]) -> dict[str, str]:
    return {f["properties"]["code"]: f["properties"]["turnover"] for f in features}


def _api(server: LiveServer, path: str) -> Any:
    with urllib.request.urlopen(f"{server.base_url}{path}", timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def test_ogrinfo_lists_both_layers(live_server: LiveServer) -> None:
    listing = _run("ogrinfo", "-ro", "-q", f"OAPIF:{live_server.base_url}/ogc")
    summary = _run("ogrinfo", "-ro", "-so", f"OAPIF:{live_server.base_url}/ogc", "postal-codes")

    assert "postal-codes" in listing
    assert "madrid" in listing
    assert "Feature Count: 101" in summary
    assert "turnover: String" in summary


def test_every_postal_code_comes_through_paging(
    live_server: LiveServer, geo_source: GeoSource, tmp_path: Path
) -> None:
    features = _export(live_server, tmp_path, "postal-codes")

    assert len(features) == 101
    expected = geo_source.grouped(["postal_code"])
    assert _turnovers(features) == {
        code: expected.get((code,), "0.00") for code in geo_source.shapes
    }
    madrid = _export(live_server, tmp_path, "madrid")
    assert [f["properties"]["turnover"] for f in madrid] == [geo_source.total()]


def test_a_spatial_filter_is_the_json_apis_bbox(
    live_server: LiveServer, geo_source: GeoSource, tmp_path: Path
) -> None:
    features = _export(live_server, tmp_path, "postal-codes", "-spat", *map(str, VIEW))

    inside = {c for c, geom in geo_source.shapes.items() if geom.intersects(box(*VIEW))}
    assert set(_turnovers(features)) == inside
    listed = _api(live_server, f"/api/v1/postal-codes?bbox={','.join(map(str, VIEW))}")
    assert _turnovers(features) == _turnovers(listed["features"])


def test_a_date_filter_sums_the_months_as_the_json_api_does(
    live_server: LiveServer, geo_source: GeoSource, tmp_path: Path
) -> None:
    where = "period_start >= '2015-03-01' AND period_start <= '2015-05-31'"
    features = _export(live_server, tmp_path, "postal-codes", "-where", where)

    expected = geo_source.grouped(["postal_code"], lambda k: "2015-03" <= k["month"] <= "2015-05")
    assert len(features) == 101
    assert _turnovers(features) == {
        code: expected.get((code,), "0.00") for code in geo_source.shapes
    }
    listed = _api(live_server, "/api/v1/postal-codes?from=2015-03&to=2015-05")
    assert _turnovers(features) == _turnovers(listed["features"])
    assert _turnovers(features) != _turnovers(_export(live_server, tmp_path, "postal-codes"))


@pytest.mark.parametrize("layer", ["postal-codes", "madrid"])
def test_geometries_survive_the_round_trip(
    live_server: LiveServer, tmp_path: Path, layer: str
) -> None:
    features = _export(live_server, tmp_path, layer, "-spat", *map(str, VIEW))

    assert features
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in features)
