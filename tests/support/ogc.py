"""The rules of OGC API - Features Part 1 (17-069r4) for the documents /ogc sends, written out
as checks (the standard's JSON schemas are not at hand offline). Each names its requirement."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

CONFORMANCE_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
CONFORMANCE_GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def assert_links(links: Any) -> None:
    """/req/core/*-links: every link has an href and a rel (type and title are recommended)."""
    assert isinstance(links, list)
    for link in links:
        assert str(link["href"]).startswith("http"), link
        assert isinstance(link["rel"], str), link
        assert link["rel"], link
        assert isinstance(link.get("type", ""), str)


def rels(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {link["rel"]: link for link in document["links"]}


def assert_landing_page(document: dict[str, Any]) -> None:
    """/req/core/root-success: links to the API definition, conformance and the collections."""
    assert_links(document["links"])
    assert {"self", "service-desc", "conformance", "data"} <= set(rels(document))


def assert_conformance(document: dict[str, Any]) -> None:
    """/req/core/conformance-success: conformsTo, a list of URIs."""
    assert isinstance(document["conformsTo"], list)
    assert all(uri.startswith("http://www.opengis.net/spec/") for uri in document["conformsTo"])


def assert_collection(collection: dict[str, Any]) -> None:
    """/req/core/sfc-md-items: id, links with rel items; extent bbox in CRS84 and a temporal
    interval of RFC 3339 instants (or null for open ends)."""
    assert isinstance(collection["id"], str)
    assert_links(collection["links"])
    assert "items" in rels(collection)
    spatial = collection["extent"]["spatial"]
    assert spatial.get("crs", CRS84) == CRS84
    for box in spatial["bbox"]:
        assert len(box) in (4, 6)
        assert -180 <= box[0] <= box[2] <= 180
        assert -90 <= box[1] <= box[3] <= 90
    for interval in collection["extent"]["temporal"]["interval"]:
        assert len(interval) == 2
        assert all(end is None or RFC3339.match(end) for end in interval)


def assert_feature(feature: dict[str, Any]) -> None:
    """GeoJSON (RFC 7946) Feature: type, geometry (object or null), properties, id string or
    number."""
    assert feature["type"] == "Feature"
    assert isinstance(feature["id"], str | int)
    assert isinstance(feature["properties"], dict)
    geometry = feature["geometry"]
    assert geometry is None or geometry["type"] in {"Polygon", "MultiPolygon"}


def assert_feature_collection(document: dict[str, Any], *, limit: int) -> None:
    """/req/core/fc-response, fc-links, fc-timeStamp, fc-numberMatched, fc-numberReturned."""
    assert document["type"] == "FeatureCollection"
    for feature in document["features"]:
        assert_feature(feature)
    assert_links(document["links"])
    assert "self" in rels(document)
    assert len(document["features"]) <= limit
    assert document["numberReturned"] == len(document["features"])
    assert document["numberMatched"] >= document["numberReturned"]
    assert RFC3339.match(document["timeStamp"])
    datetime.fromisoformat(document["timeStamp"].replace("Z", "+00:00"))
    if "next" in rels(document):
        assert rels(document)["next"]["type"] == "application/geo+json"
