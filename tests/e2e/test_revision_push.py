"""A write through a live gunicorn (2 workers, each with its own in-process cache, revisions
pushed by LISTEN/NOTIFY) is served by every worker within the bound: reads on new connections,
spread over both workers, never return the old list once the bound has passed. The same holds
with `--preload` (the app is created before the fork: each worker must start its own listener),
and /health reports each worker's listener."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import column, create_engine, func, select, table

from mosaic.platform.revisions import APPLICATION_NAME
from tests.e2e.conftest import LIVE_PASSWORD, LIVE_USER, LiveServer, gunicorn, live_database
from tests.e2e.test_concurrent_requests import call, number

BOUND_S = 1.0  # REVISION_PUSH_LIVENESS_MS's default: the bound docs/performance.md states
PAGE = "/api/v1/numbers?per_page=5&sort=-id"


@pytest.fixture(scope="module", params=["", "--preload"], ids=["forked", "preloaded"])
def push_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = live_database(
        "_push_preload" if request.param else "_push",
        user=(LIVE_USER, LIVE_PASSWORD, "editor"),
        seeds=[("numbers", "--count", "100")],
        settings={
            "WEB_CONCURRENCY": "2",
            "REVISION_PUSH": "true",
            "GUNICORN_CMD_ARGS": request.param,
        },
    )
    with gunicorn(env, tmp_path_factory.mktemp("push") / "gunicorn.log") as base_url:
        yield LiveServer(base_url, LIVE_USER, LIVE_PASSWORD, env)


def listeners(server: LiveServer) -> int:
    engine = create_engine(server.env["DATABASE_URL"])
    with engine.connect() as connection:
        found = connection.scalar(
            select(func.count())
            .select_from(table("pg_stat_activity"))
            .where(
                column("application_name") == APPLICATION_NAME,
                column("datname") == func.current_database(),
            )
        )
    engine.dispose()
    return int(found or 0)


def total(server: LiveServer) -> tuple[int, float]:
    """The list's X-Total-Count, on a new connection (either worker), and when it was asked."""
    asked = time.monotonic()
    status, headers, _body = call(server, "GET", PAGE)
    assert status == 200
    return int(headers["X-Total-Count"]), asked


def both_listening(server: LiveServer) -> None:
    deadline = time.monotonic() + 20
    while listeners(server) < 2 and time.monotonic() < deadline:
        for _ in range(10):  # cached reads start each worker's listener, and fill its cache
            total(server)
    assert listeners(server) == 2, "both workers should serve and listen"


def test_health_reports_the_answering_workers_listener(push_server: LiveServer) -> None:
    both_listening(push_server)
    for _ in range(10):  # new connections: both workers answer some
        status, _headers, body = call(push_server, "GET", "/health")
        assert status == 200
        assert body["status"] == "ok"
        assert body["checks"]["revisions"] == {
            "status": "listening",
            "reads": f"pushed (bound {round(BOUND_S * 1000)} ms)",
        }


def test_every_worker_serves_a_write_within_the_bound(push_server: LiveServer) -> None:
    both_listening(push_server)
    before, _ = total(push_server)
    credentials = {"username": push_server.username, "password": push_server.password}
    _status, _headers, body = call(push_server, "POST", "/api/v1/auth/token", credentials)
    bearer = {"Authorization": f"Bearer {body['access_token']}"}

    status, _headers, _body = call(
        push_server, "POST", "/api/v2/numbers", number("+55 84 90000-6001"), **bearer
    )
    written = time.monotonic()
    assert status == 201
    seen = []
    while time.monotonic() - written < 2 * BOUND_S:
        seen.append(total(push_server))
    late = [count for count, asked in seen if asked - written > BOUND_S]
    assert late, "the reads should go on past the bound"
    assert set(late) == {before + 1}, "an old list served past the bound"
