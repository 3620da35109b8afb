"""The web pages through the Flask test client: a strict CSP, no inline code, local assets only."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mosaic.web.pages import content_security_policy, tile_origin

PAGES = ["/", "/numbers", "/sensors", "/expenses"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_has_a_strict_content_security_policy(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_a_page_has_no_inline_code_and_loads_only_its_own_assets(
    client: FlaskClient, path: str
) -> None:
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    sources = re.findall(r'(?:src|href)="([^"#]+)"', html)
    assets = [s for s in sources if s.startswith("/assets/")]
    assert len(assets) == 3  # icon, stylesheet, script
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        response.close()


def test_pages_are_not_api_operations(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert not set(PAGES) & set(paths)


def test_a_configured_base_map_is_the_only_other_host_images_may_come_from(
    make_app: Callable[..., Flask],
) -> None:
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    app = make_app(WEB_TILE_URL=tiles)
    response = app.test_client().get("/")
    assert (
        "img-src 'self' https://tiles.example.org;" in response.headers["Content-Security-Policy"]
    )
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in response.get_data(
        as_text=True
    )
    assert "tiles.example.org" not in content_security_policy("").split("img-src")[1]


def test_a_tile_url_that_is_not_http_stops_the_app_from_starting(
    make_app: Callable[..., Flask],
) -> None:
    assert tile_origin("") is None
    with pytest.raises(ValueError, match="WEB_TILE_URL"):
        make_app(WEB_TILE_URL="javascript:alert(1)")
