"""CORS: an allow-list of origins, preflights for every method, the headers a frontend reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

FRONTEND = "https://dashboard.example"


def preflight(app: Flask, method: str, origin: str = FRONTEND) -> dict[str, str]:
    response = app.test_client().options(
        "/api/v2/numbers/1",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Authorization, If-Match, Content-Type",
        },
    )
    assert response.status_code == 200
    return dict(response.headers)


def test_same_origin_only_by_default(make_app: Callable[..., Flask]) -> None:
    headers = preflight(make_app(), "PUT")
    assert "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_a_listed_origin_gets_a_preflight_for_every_method(
    make_app: Callable[..., Flask], method: str
) -> None:
    headers = preflight(make_app(CORS_ORIGINS=[FRONTEND]), method)
    assert headers["Access-Control-Allow-Origin"] == FRONTEND
    assert method in headers["Access-Control-Allow-Methods"]
    allowed = headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "if-match", "content-type"} <= set(allowed.replace(" ", "").split(","))
    assert "Origin" in headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in headers


def test_an_unlisted_origin_gets_no_cors_headers(make_app: Callable[..., Flask]) -> None:
    headers = preflight(make_app(CORS_ORIGINS=[FRONTEND]), "DELETE", origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in headers


def test_responses_expose_the_headers_a_frontend_reads(make_app: Callable[..., Flask]) -> None:
    client = make_app(CORS_ORIGINS=[FRONTEND]).test_client()
    response = client.get("/api/v1/numbers?per_page=1", headers={"Origin": FRONTEND})
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Link", "ETag", "X-Total-Count", "X-Request-ID", "X-RateLimit-Remaining"} <= exposed
    assert "Origin" in response.headers["Vary"]


def test_problem_details_are_readable_cross_origin(make_app: Callable[..., Flask]) -> None:
    client = make_app(CORS_ORIGINS=[FRONTEND]).test_client()
    response = client.get("/api/v1/numbers?per_page=0", headers={"Origin": FRONTEND})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND


def test_any_origin_never_with_credentials(make_app: Callable[..., Flask]) -> None:
    headers = preflight(make_app(CORS_ORIGINS=["*"]), "PATCH", origin="https://any.example")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers
