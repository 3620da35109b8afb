"""The Dockerfile and .dockerignore, read; the healthcheck commands run against a stub server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.support.deploy import (
    PROD,
    ROOT,
    dockerfile,
    healthcheck_command,
    runtime_stage,
    services,
    upstream,
)

# --- Dockerfile, .dockerignore -------------------------------------------------------------------


def test_dockerfile_is_multi_stage_on_python_311_slim_bookworm() -> None:
    instructions = dockerfile()
    defaults = dict(
        arguments.split("=", 1)
        for word, arguments in instructions
        if word == "ARG" and "=" in arguments
    )
    bases = [arguments.split()[0] for word, arguments in instructions if word == "FROM"]
    assert len(bases) >= 2
    for base in bases:
        resolved = re.sub(r"\$\{(\w+)\}", lambda m: defaults.get(m.group(1), m.group(0)), base)
        assert resolved == "python:3.11-slim-bookworm"
    runtime = runtime_stage()
    assert any(
        word == "COPY" and "--from=builder" in args and "/opt/venv" in args
        for word, args in runtime
    )
    assert not any(word == "RUN" and "requirements" in args for word, args in runtime)
    assert any(word == "RUN" and "requirements.txt" in args for word, args in instructions)


def test_dockerfile_runtime_settings() -> None:
    runtime = runtime_stage()
    env = " ".join(args for word, args in runtime if word == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "PYTHONUNBUFFERED=1" in env
    assert "GIT_COMMIT=${GIT_COMMIT}" in env
    assert "BUILD_TIME=${BUILD_TIME}" in env
    build_args = {args.split("=", 1)[0] for word, args in runtime if word == "ARG"}
    assert {"GIT_COMMIT", "BUILD_TIME"} <= build_args
    assert ("EXPOSE", "8000") in runtime
    users = [args for word, args in runtime if word == "USER"]
    assert users, "the runtime stage never drops root"
    assert users[-1].split(":", 1)[0] not in {"0", "root"}
    assert "--uid 10001" in " ".join(args for word, args in runtime if word == "RUN")


def test_dockerfile_starts_boot_sh() -> None:
    runtime = runtime_stage()
    starts = [args for word, args in runtime if word in {"ENTRYPOINT", "CMD"}]
    assert any("boot.sh" in args for args in starts)
    assert any(word == "COPY" and "boot.sh" in args for word, args in runtime)


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    sources: list[str] = []
    for word, args in dockerfile():
        if word in {"COPY", "ADD"} and "--from=" not in args:
            parts = [part for part in args.split() if not part.startswith("--")]
            sources += parts[:-1]
    assert {"requirements.txt", "src", "alembic", "boot.sh"} <= set(sources)
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such file"
        assert source not in ignored, f"COPY {source}: excluded by .dockerignore"


def test_dockerignore_keeps_the_context_clean() -> None:
    entries = set((ROOT / ".dockerignore").read_text().split())
    for entry in (".venv", ".git", "node_modules", "bench/out", "*.log", ".env", ".pytest_cache"):
        assert entry in entries, entry
    assert any("__pycache__" in entry for entry in entries)


def dockerfile_healthcheck() -> list[str]:
    checks = [args for word, args in runtime_stage() if word == "HEALTHCHECK"]
    assert len(checks) == 1
    command = json.loads(checks[0][checks[0].index("CMD") + 3 :])
    assert isinstance(command, list)
    return [str(part) for part in command]


def prod_api_healthcheck() -> list[str]:
    return healthcheck_command(services(PROD)["api"])


@pytest.mark.parametrize("command", [dockerfile_healthcheck, prod_api_healthcheck])
def test_api_healthcheck_needs_a_200_from_health(command: Callable[[], list[str]]) -> None:
    argv = command()
    assert argv[0] == "python"
    assert "urllib" in argv[-1]
    assert "http://127.0.0.1:" in argv[-1]
    assert "/health" in argv[-1]
    assert re.search(r"\b8000\b", argv[-1]), "the default port should be 8000"
    results = {}
    for status in (200, 503):
        with upstream(health_status=status) as port:
            run = subprocess.run(
                [sys.executable, *argv[1:]],
                env={**os.environ, "PORT": str(port)},
                capture_output=True,
                timeout=30,
                check=False,
            )
        results[status] = run.returncode
    assert results[200] == 0
    assert results[503] != 0
