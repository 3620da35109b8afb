"""CORS for browser frontends on other origins, from an allow-list (CORS_ORIGINS).

Empty (the default) means same-origin only: no CORS headers at all. `*` allows any origin, and
then never with credentials; the API authenticates with a Bearer header, not cookies, so
credentials are never needed. Preflights answer for every method the API has, and the headers a
client needs to read (pages, ETags, totals, limits, the request id) are exposed.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_cors import CORS

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
REQUEST_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"]
EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "X-Total-Count",
    "X-Request-ID",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]
PREFLIGHT_MAX_AGE_S = 600


def init_cors(app: Flask) -> None:
    origins: list[str] = app.config["CORS_ORIGINS"]
    if not origins:
        return
    anywhere = "*" in origins
    CORS(
        app,
        resources={r"/api/*": {}, r"/openapi.json": {}, r"/ogc*": {}},
        origins="*" if anywhere else origins,
        send_wildcard=anywhere,
        methods=METHODS,
        allow_headers=REQUEST_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        supports_credentials=False,
        max_age=PREFLIGHT_MAX_AGE_S,
        vary_header=True,
    )
    app.after_request(_vary_by_origin)


def _vary_by_origin(response: Response) -> Response:
    """The answer depends on the Origin sent: caches between us and browsers must key on it."""
    response.vary.add("Origin")
    return response
