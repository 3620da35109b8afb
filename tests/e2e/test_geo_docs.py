"""The geo documentation says what the API sends: docs/geo.md's examples are real responses, and
each OpenAPI example has the shape of a real response (the same keys, all the way down)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import ROOT

pytestmark = pytest.mark.usefixtures("geo_seeded")
GEO_MD = ROOT / "docs" / "geo.md"
EXAMPLE = re.compile(r"`GET (/api/v1/[^`]+)`\n\n```json\n(.*?)```", re.DOTALL)
REAL_URLS = {  # the OpenAPI path of each geo read, and a real request of it
    "/api/v1/postal-codes": "/api/v1/postal-codes",
    "/api/v1/postal-codes/{code}": "/api/v1/postal-codes/28001",
    "/api/v1/turnover": "/api/v1/turnover?group_by=month,gender",
    "/api/v1/regions/madrid": "/api/v1/regions/madrid",
    "/api/v1/tiles/postal-codes.json": "/api/v1/tiles/postal-codes.json",
}


def shape(value: Any) -> Any:
    """Keys all the way down; a list by its first item; coordinates and scalars by type."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k != "coordinates"}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def test_docs_examples_are_real_responses(client: FlaskClient) -> None:
    examples = EXAMPLE.findall(GEO_MD.read_text())
    assert len(examples) >= 3
    for url, documented in examples:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_json(force=True) == json.loads(documented), url


def test_docs_name_the_properties_the_api_sends(client: FlaskClient) -> None:
    text = GEO_MD.read_text()
    feature = client.get("/api/v1/postal-codes").get_json(force=True)["features"][0]
    for name in feature["properties"]:
        assert f"`{name}`" in text, name
    assert "legend `class`" not in text


@pytest.mark.parametrize(("path", "url"), REAL_URLS.items())
def test_openapi_examples_have_the_shape_of_real_responses(
    client: FlaskClient, path: str, url: str
) -> None:
    operation = client.get("/openapi.json").get_json()["paths"][path]["get"]
    [content] = operation["responses"]["200"]["content"].values()
    real = client.get(url).get_json(force=True)
    assert shape(content["example"]) == shape(real)
