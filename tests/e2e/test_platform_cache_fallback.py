"""Redis stopped and started under the app: results are kept in the process's memory while it
is down (revision-keyed, so never stale), written to Redis again once it is back; per-user
session states are never kept in a process. A private redis-server on a free loopback port,
so stopping it disturbs no one."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import event

from mosaic.platform.db import Database
from mosaic.platform.wiring import service

pytestmark = pytest.mark.e2e
RETRY_MS = 200


class PrivateRedis:
    """redis-server on 127.0.0.1:<free port>, no persistence: stopped, it restarts empty."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(200):
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.025)
        raise RuntimeError("redis-server did not answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(name="private_redis")
def _private_redis() -> Iterator[PrivateRedis]:
    assert shutil.which("redis-server"), "`make test` installs redis-server (scripts/provision.sh)"
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


class NumberQueries:
    """Counts the statements that read the phone_number table (not its revision)."""

    def __init__(self, app: Flask) -> None:
        database = service(Database, app)
        self.count = 0
        for engine in {database.engine, database.read_engine}:
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        statement = str(args[2])
        if "FROM phone_number" in statement and "phone_number_revision" not in statement:
            self.count += 1


def test_reads_are_kept_in_the_process_while_redis_is_down_and_go_to_redis_once_it_is_back(
    make_app: Callable[..., Flask], private_redis: PrivateRedis
) -> None:
    app = make_app(REDIS_URL=private_redis.url, CACHE_RETRY_MS=RETRY_MS)
    client, queries = app.test_client(), NumberQueries(app)
    assert client.get("/api/v1/numbers?per_page=3").status_code == 200
    computed = queries.count
    assert computed > 0
    assert client.get("/api/v1/numbers?per_page=3").status_code == 200
    assert queries.count == computed  # from Redis
    assert private_redis.client().keys("mosaic:*")

    private_redis.stop()
    for url in ("/api/v1/numbers?per_page=3", "/api/v1/numbers?per_page=4"):
        before = queries.count
        assert client.get(url).status_code == 200  # Redis gone: computed ...
        computed = queries.count
        assert computed > before
        for _ in range(3):
            assert client.get(url).status_code == 200  # ... then from this process's memory
        assert queries.count == computed
    health = client.get("/health")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["checks"]["redis"]["status"] == "down"

    private_redis.start()  # empty
    time.sleep(RETRY_MS / 1000 * 1.5)  # past the interval in which a failed Redis is not tried
    assert client.get("/api/v1/numbers?per_page=5").status_code == 200
    assert private_redis.client().keys("mosaic:*")  # written to Redis again
    computed = queries.count
    assert client.get("/api/v1/numbers?per_page=4").status_code == 200
    assert queries.count > computed  # the in-process copies are no longer read: Redis is
    assert client.get("/health").get_json()["status"] == "ok"


def test_a_logout_while_redis_is_down_ends_the_session_in_every_process_at_once(
    make_app: Callable[..., Flask],
    private_redis: PrivateRedis,
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    """Session states are not revision-keyed: no process may serve its own copy of one."""
    one, other = (make_app(REDIS_URL=private_redis.url) for _ in range(2))
    headers = auth_headers("editor", "fallback-ana", on=one)
    assert other.test_client().get("/api/v1/numbers", headers=headers).status_code == 200
    private_redis.stop()
    assert other.test_client().get("/api/v1/numbers", headers=headers).status_code == 200
    assert one.test_client().post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert other.test_client().get("/api/v1/numbers", headers=headers).status_code == 401
