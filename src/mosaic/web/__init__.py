"""Web pages for people: the Madrid turnover dashboard and the numbers table.

Presentation only: the pages are HTML shells whose scripts call the public HTTP API, like any
other client; nothing here imports another context. Assets are bundled from npm packages by
`scripts/build-web.mjs` (`make assets`) into `static/dist/`, which is never committed.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages; they are not rate limited (the API calls they make are)."""
    from mosaic.web.pages import blueprint, tile_origin

    tile_origin(app.config["WEB_TILE_URL"])  # a malformed base-map URL stops the start, loudly
    app.register_blueprint(blueprint)
    limiter = app.extensions.get("mosaic.limiter")
    if limiter is not None:
        limiter.exempt(blueprint)
