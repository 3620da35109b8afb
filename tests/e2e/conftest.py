"""A live server for the client artifacts (Postman via newman, the curl scripts, GDAL): gunicorn
on a free port over its own database (TEST_DATABASE_URL's name + "_live"), migrated and seeded
(geo from SEED_DATA_DIR, 800 numbers)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import ROOT, TEST_SECRET, migrate, recreate_database, required_database_url
from tests.e2e.sensors_support import push_app, pusher, signer  # noqa: F401  (fixtures)

BIN = ROOT / ".venv" / "bin"
LIVE_USER, LIVE_PASSWORD = "live-editor", "live-editor-password"
LIVE_PUSH_TOKEN = "live-push-token"


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    username: str
    password: str
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _live_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "JWT_SECRET_KEY": TEST_SECRET,
        "MOSAIC_ENV": "test",
        "RATELIMIT_ENABLED": "false",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "PUBSUB_VERIFICATION_TOKEN": LIVE_PUSH_TOKEN,
    }


def _flask(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "mosaic", *args],
        input=stdin,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not become healthy:\n{log.read_text()}")


def live_database(
    suffix: str,
    *,
    user: tuple[str, str, str],
    seeds: Iterable[Sequence[str]],
    settings: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A database of its own (TEST_DATABASE_URL's name + `suffix`), migrated, with one user
    (name, password, role) and the `seeds` (`flask seed` arguments) loaded; returns the
    environment a gunicorn over it runs with (`_live_env`, then `settings`)."""
    url = make_url(required_database_url())
    database = url.set(database=url.database + suffix).render_as_string(hide_password=False)
    recreate_database(database)
    migrate(database)
    env = {**_live_env(database), **(settings or {})}
    name, password, role = user
    _flask(env, "users", "create", name, "--role", role, "--password-stdin", stdin=password + "\n")
    for seed in seeds:
        _flask(env, "seed", *seed)
    return env


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = live_database(
        "_live",
        user=(LIVE_USER, LIVE_PASSWORD, "editor"),
        seeds=[("geo",), ("numbers", "--count", "800"), ("expenses",), ("sensors",)],
    )
    with gunicorn(env, tmp_path_factory.mktemp("live") / "gunicorn.log") as base_url:
        yield LiveServer(base_url, LIVE_USER, LIVE_PASSWORD, env)


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn.conf.py's server on a free loopback port, healthy; stopped on exit."""
    base_url = f"http://127.0.0.1:{_free_port()}"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                base_url.removeprefix("http://"),
                "mosaic.wsgi:app",
            ],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=25)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
