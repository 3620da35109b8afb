"""boot.sh run with stub commands: migrate, seed when asked, then exec gunicorn."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.support.deploy import (
    ROOT,
)

# --- boot.sh -------------------------------------------------------------------------------------


# The layout settings gunicorn's stub was given (boot.sh unsets an empty one).
LAYOUT = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS")
LAYOUT_ECHO = "echo layout" + "".join(f' "${{{name}-unset}}"' for name in LAYOUT) + "\n"


def run_boot(tmp_path: Path, *args: str, **env: str) -> tuple[int, list[str], str]:
    """boot.sh with alembic, flask and gunicorn replaced by stubs that log their arguments;
    gunicorn's also prints the layout settings it was given (`unset` for one not set)."""
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    log = tmp_path / "calls.log"
    for name in ("alembic", "flask", "gunicorn"):
        stub = stubs / name
        rc = f"${{{name.upper()}_RC:-0}}"
        layout = LAYOUT_ECHO if name == "gunicorn" else ""
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "$BOOT_LOG"\n{layout}exit {rc}\n')
        stub.chmod(0o755)
    run = subprocess.run(
        [str(ROOT / "boot.sh"), *args],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}", "BOOT_LOG": str(log), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return run.returncode, calls, run.stdout


def test_boot_sh_is_strict_and_executable() -> None:
    path = ROOT / "boot.sh"
    assert path.stat().st_mode & stat.S_IXUSR
    lines = path.read_text().splitlines()
    assert lines[0] in {"#!/usr/bin/env bash", "#!/bin/bash"}
    assert "set -euo pipefail" in lines
    text = path.read_text()
    assert text.index("alembic upgrade head") < text.index("exec gunicorn")


@pytest.mark.parametrize("seed_on_start", ["true", "True", "1", "yes"])
def test_boot_migrates_seeds_then_execs_gunicorn(tmp_path: Path, seed_on_start: str) -> None:
    rc, calls, _ = run_boot(tmp_path, SEED_ON_START=seed_on_start, PORT="8123")
    assert rc == 0
    assert calls == [
        "alembic upgrade head",
        "flask --app mosaic sensors partitions",
        "flask --app mosaic seed all",
        "gunicorn --config gunicorn.conf.py --bind 0.0.0.0:8123 mosaic.wsgi:app",
    ]


@pytest.mark.parametrize("seed_on_start", ["false", "0", ""])
def test_boot_skips_the_seeds_unless_asked(tmp_path: Path, seed_on_start: str) -> None:
    env = {"SEED_ON_START": seed_on_start}
    rc, calls, _ = run_boot(tmp_path, **env)
    assert rc == 0
    assert calls == [
        "alembic upgrade head",
        "flask --app mosaic sensors partitions",
        "gunicorn --config gunicorn.conf.py --bind 0.0.0.0:8000 mosaic.wsgi:app",
    ]


def test_boot_stops_when_the_migration_fails(tmp_path: Path) -> None:
    rc, calls, _ = run_boot(tmp_path, SEED_ON_START="true", ALEMBIC_RC="3")
    assert rc == 3
    assert calls == ["alembic upgrade head"]


def test_boot_runs_a_one_off_command_instead(tmp_path: Path) -> None:
    rc, calls, stdout = run_boot(tmp_path, "echo", "one-off")
    assert rc == 0
    assert stdout.strip() == "one-off"
    assert calls == []


def test_an_empty_layout_setting_reaches_gunicorn_unset(tmp_path: Path) -> None:
    """docker-compose.prod.yml passes WEB_CONCURRENCY as "" when .env leaves it out, and
    gunicorn's own config module failed on int(""): every API container was unhealthy."""
    empty = {"WEB_CONCURRENCY": "", "GUNICORN_THREADS": "", "GUNICORN_WORKER_CLASS": ""}
    _rc, _calls, stdout = run_boot(tmp_path, **empty)
    assert stdout.split() == ["layout", "unset", "unset", "unset"]
    chosen = {"WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "4", "GUNICORN_WORKER_CLASS": "sync"}
    _rc, _calls, stdout = run_boot(tmp_path, **chosen)
    assert stdout.split() == ["layout", "3", "4", "sync"]
