"""The production guard: unknown environments, weak or placeholder keys in production, and a
random per-process key under several workers are refused at start, never run quietly."""

from __future__ import annotations

import subprocess

import pytest

from mosaic import create_app
from tests.conftest import ROOT, app_config
from tests.e2e.conftest import BIN, _free_port

pytestmark = pytest.mark.e2e
STRONG = "p7Qz-4vLr9_XkT2mWc8NbYh3Fs6JdG1eRu5AoZiE"


@pytest.mark.parametrize("name", ["Production", "prod", " production", "staging", ""])
def test_an_unknown_environment_is_refused(database_url: str, name: str) -> None:
    with pytest.raises(RuntimeError, match="MOSAIC_ENV"):
        create_app(app_config(DATABASE_URL=database_url, ENV=name, JWT_SECRET_KEY=STRONG))


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 48,  # 48 bytes of one character
        "changeme" * 5,  # a placeholder phrase, repeated to length
        "please-changeme-before-going-live-0123456789",
        "your-secret-key-goes-here-and-it-is-long-enough",
        "abcdefghijklmnop" * 3,  # a short pattern repeated
        "0123456789" * 4,
    ],
)
def test_production_refuses_weak_and_placeholder_keys(database_url: str, secret: str) -> None:
    with pytest.raises(RuntimeError, match="JWT_SECRET_KEY"):
        create_app(app_config(DATABASE_URL=database_url, ENV="production", JWT_SECRET_KEY=secret))


@pytest.mark.parametrize(
    "secret",
    [STRONG, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ids=["urlsafe", "hex-32-bytes"],
)
def test_production_starts_with_a_strong_key(database_url: str, secret: str) -> None:
    app = create_app(app_config(DATABASE_URL=database_url, ENV="production", JWT_SECRET_KEY=secret))
    assert app.config["JWT_SECRET_KEY"] == secret


def test_a_random_key_is_refused_when_several_workers_run(database_url: str) -> None:
    with pytest.raises(RuntimeError, match="WEB_CONCURRENCY"):
        create_app(
            app_config(DATABASE_URL=database_url, ENV="development", JWT_SECRET_KEY=None, WORKERS=2)
        )
    one_worker = create_app(
        app_config(DATABASE_URL=database_url, ENV="development", JWT_SECRET_KEY=None, WORKERS=1)
    )
    assert len(one_worker.config["JWT_SECRET_KEY"]) >= 32


def test_gunicorn_with_two_workers_and_no_key_does_not_start(database_url: str) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url,
        "MOSAIC_ENV": "development",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    bind = f"127.0.0.1:{_free_port()}"
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", bind, "mosaic.wsgi:app"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "JWT_SECRET_KEY" in result.stdout + result.stderr
