"""The page blueprint: HTML shells, their bundled assets and a strict Content-Security-Policy."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from mosaic.platform.errors import ServiceUnavailable

DIST = Path(__file__).parent / "static" / "dist"
blueprint = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder=DIST,
    static_url_path="/assets",
)
IMMUTABLE = "public, max-age=31536000, immutable"  # asset names carry a content hash


@cache
def read_manifest(folder: Path) -> dict[str, str]:
    """Entry name (`dashboard.js`) -> hashed file name, written by scripts/build-web.mjs."""
    try:
        return dict(json.loads((folder / "manifest.json").read_text()))
    except FileNotFoundError:
        raise ServiceUnavailable(
            "The web pages' assets are not built: run `make assets` (npm ci + esbuild)."
        ) from None


def asset_url(name: str) -> str:
    return url_for("web.static", filename=read_manifest(DIST)[name])


def tile_origin(tile_url: str) -> str | None:
    """The origin a configured base-map tile URL loads images from (None: no base map)."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"WEB_TILE_URL must be an http(s) URL template, not {tile_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(tile_url: str) -> str:
    """Only this origin, no inline script or style; images also from the base map's host."""
    images = " ".join(filter(None, ["'self'", tile_origin(tile_url)]))
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "connect-src": "'self'",
        "font-src": "'self'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _page(template: str, *, title: str) -> str:
    return render_template(
        template, title=title, asset_url=asset_url, tile_url=current_app.config["WEB_TILE_URL"]
    )


@blueprint.get("/")
def dashboard() -> ResponseReturnValue:
    return _page("web/dashboard.html", title="Madrid turnover")


@blueprint.get("/numbers")
def numbers() -> ResponseReturnValue:
    return _page("web/numbers.html", title="DID numbers")


@blueprint.get("/sensors")
def sensors() -> ResponseReturnValue:
    return _page("web/sensors.html", title="Sensor dwell time")


@blueprint.get("/expenses")
def expenses() -> ResponseReturnValue:
    return _page("web/expenses.html", title="Expenses")


@blueprint.after_request
def _headers(response: Response) -> Response:
    # Set, not setdefault: the platform's default policy must not loosen or replace this one.
    response.headers["Content-Security-Policy"] = content_security_policy(
        current_app.config["WEB_TILE_URL"]
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint == "web.static" and response.status_code == 200:
        response.headers["Cache-Control"] = IMMUTABLE
    return response
