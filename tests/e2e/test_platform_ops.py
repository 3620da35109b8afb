"""Health, version, OpenAPI + Swagger UI, rate limits, HTTP caching, database outages."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy import Engine, text

from mosaic.platform.cache import ResultCache
from mosaic.platform.openapi import documented
from mosaic.platform.wiring import service
from tests.e2e.test_platform_errors import assert_problem

CLOSED_PORT_URL = "postgresql+psycopg2://mosaic:mosaic@127.0.0.1:9/mosaic"
CLOSED_REDIS_URL = "redis://127.0.0.1:9/0"
HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


def test_health_reports_each_dependency(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "up"}
    assert body["checks"]["redis"]["status"] in {"up", "not configured"}


def test_version_names_version_commit_and_build_time(client: FlaskClient) -> None:
    body = client.get("/version").get_json()
    assert re.match(r"^\d+\.\d+\.\d+", body["version"])
    assert set(body) == {"version", "commit", "build_time"}
    assert body["build_time"]


def test_unreachable_database_gives_503_problems(make_app: Callable[..., Flask]) -> None:
    client = make_app(DATABASE_URL=CLOSED_PORT_URL, DATABASE_READ_URL=CLOSED_PORT_URL).test_client()

    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_json()["checks"]["database"]["status"] == "down"

    login = client.post("/api/v1/auth/token", json={"username": "ana", "password": "whatever"})
    body = assert_problem(login, 503)
    assert "database" in body["detail"]
    assert login.headers["Retry-After"]


def test_unreachable_redis_degrades_health_and_the_api_still_serves(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(
        REDIS_URL=CLOSED_REDIS_URL, RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute"
    ).test_client()

    health = client.get("/health")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["checks"]["redis"]["status"] == "down"

    # The cache and the limiter fall back to this process: reads answer, limits still count.
    statuses = [client.get("/api/v1/numbers?per_page=1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_killed_connections_are_replaced_without_a_failed_request(
    make_app: Callable[..., Flask], engine: Engine
) -> None:
    client = make_app().test_client()
    wrong = {"username": "nobody", "password": "wrong-password"}
    assert client.post("/api/v1/auth/token", json=wrong).status_code == 401  # pool warmed

    with engine.connect() as admin:
        killed = admin.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'mosaic' AND pid <> pg_backend_pid() "
                "AND datname = current_database()"  # never another run's connections
            )
        ).scalar_one()
    assert killed >= 1

    statuses = [client.post("/api/v1/auth/token", json=wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    assert client.get("/health").status_code == 200


def test_openapi_document_is_valid_3_1_and_covers_every_route(
    client: FlaskClient, app: Flask
) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    assert "bearerAuth" in spec["components"]["securitySchemes"]

    documented_paths = {(path, method) for path, item in spec["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not documented(rule.endpoint):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented_paths, f"{method} {path} undocumented"


def test_tags_name_only_contexts_that_serve_operations(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    used = {t for item in spec["paths"].values() for op in item.values() for t in op["tags"]}
    names = [tag["name"] for tag in spec["tags"]]
    assert sorted(names) == sorted(used)
    assert names[-1] == "operations"
    assert all(tag["description"] for tag in spec["tags"])


def test_api_operations_list_the_statuses_the_platform_may_send(client: FlaskClient) -> None:
    """A rate limit, a bad token and a database outage can meet any operation; a GET may be
    answered 304 to If-None-Match."""
    spec = client.get("/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            if "operations" not in operation["tags"]:  # /api and /ogc, not /health
                assert {"401", "429", "503"} <= statuses, f"{method.upper()} {path}"
                assert method != "get" or "304" in statuses, f"GET {path} lists no 304"
            else:
                assert "429" not in statuses, f"{path} is never rate limited"


def test_every_operation_has_an_example(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            assert '"example' in json.dumps(operation), f"{method.upper()} {path} has no example"


def test_swagger_ui_is_served_from_local_assets(client: FlaskClient) -> None:
    page = client.get("/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/openapi.json" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_reads_get_etags_and_304s(client: FlaskClient) -> None:
    first = client.get("/openapi.json")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"

    again = client.get("/openapi.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_a_read_with_if_match_passes_on_star_or_its_etag_and_is_a_412_problem_otherwise(
    client: FlaskClient,
) -> None:
    """RFC 9110, 13.1.1 (Werkzeug alone answered `*` with 412, and 412s with the body)."""
    etag = client.get("/api/v2/numbers").headers["ETag"]
    for matching in ("*", etag, f'"other", {etag}'):
        assert client.get("/api/v2/numbers", headers={"If-Match": matching}).status_code == 200
    for stale in ('"other"', f"W/{etag}"):
        response = client.get("/api/v2/numbers", headers={"If-Match": stale})
        assert etag in assert_problem(response, 412)["detail"]


def test_rate_limit_is_429_problem_with_headers(make_app: Callable[..., Flask]) -> None:
    client = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute", RATELIMIT_KEY_PREFIX=_fresh()
    ).test_client()
    ok = client.get("/openapi.json")
    # Only a 429 says when to come back and what the limit is; ordinary responses do not.
    assert not {"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"} & set(
        ok.headers.keys()
    )
    client.get("/openapi.json")
    limited = client.get("/openapi.json")
    assert_problem(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["X-RateLimit-Limit"] == "2"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert [client.get("/health").status_code for _ in range(4)] == [200] * 4
    assert [client.get("/version").status_code for _ in range(4)] == [200] * 4


def test_rate_limit_is_per_user_when_authenticated(
    make_app: Callable[..., Flask], auth_headers: Callable[..., dict[str, str]]
) -> None:
    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="1 per minute", RATELIMIT_KEY_PREFIX=_fresh()
    )
    client = app.test_client()
    ana, bea = auth_headers("viewer", "ana", on=app), auth_headers("viewer", "bea", on=app)
    assert client.get("/openapi.json", headers=ana).status_code == 200
    assert client.get("/openapi.json", headers=ana).status_code == 429
    assert client.get("/openapi.json", headers=bea).status_code == 200
    assert client.get("/openapi.json").status_code == 200  # anonymous: by address


def test_requests_succeed_when_redis_is_gone(make_app: Callable[..., Flask]) -> None:
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0", RATELIMIT_ENABLED=True)
    client = app.test_client()
    assert client.get("/openapi.json").status_code == 200
    health = client.get("/health").get_json()
    assert health["checks"]["redis"]["status"] == "down"
    calls: list[int] = []
    cache = service(ResultCache, app)
    assert cache.get_or_compute("k", lambda: calls.append(1) or 42) == 42
    assert cache.get_or_compute("k", lambda: calls.append(1) or 42) == 42
    assert calls == [1]  # never an error: kept in this process's memory instead


def test_results_are_cached_in_redis(make_app: Callable[..., Flask]) -> None:
    redis_url = os.environ.get("TEST_REDIS_URL")
    assert redis_url, "TEST_REDIS_URL is not set: `make test` provisions Redis"
    cache = service(ResultCache, make_app(REDIS_URL=redis_url))
    key, calls = _fresh(), []
    assert cache.get_or_compute(key, lambda: calls.append(1) or {"total": "1.50"}) == {
        "total": "1.50"
    }
    assert cache.get_or_compute(key, lambda: calls.append(1) or {"total": "9.99"}) == {
        "total": "1.50"
    }
    assert calls == [1]


def _fresh() -> str:
    return uuid.uuid4().hex


def test_behind_nginx_the_limit_is_per_forwarded_client(make_app: Callable[..., Flask]) -> None:
    client = make_app(
        PROXY_HOPS=1,
        RATELIMIT_ENABLED=True,
        RATELIMIT_DEFAULT="1 per minute",
        RATELIMIT_KEY_PREFIX=_fresh(),
    ).test_client()

    def from_client(address: str) -> int:
        return client.get("/openapi.json", headers={"X-Forwarded-For": address}).status_code

    assert [from_client("203.0.113.7"), from_client("203.0.113.7")] == [200, 429]
    assert from_client("198.51.100.9") == 200  # another client behind the same proxy
