"""The stacks of `make compose-check`: collected only when MOSAIC_COMPOSE_CHECK=1 (the make target
sets it after scripts/stand-in-images.sh has an engine, Compose v2 and the base images)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from tests.compose.stack import Stack, free_port, wait_for

if os.environ.get("MOSAIC_COMPOSE_CHECK") != "1":
    collect_ignore_glob = ["test_*.py"]

DEV = "docker-compose.yml"
PROD = "docker-compose.prod.yml"


@pytest.fixture(scope="session")
def dev_stack() -> Iterator[Stack]:
    stack = Stack(
        "mosaic-check-dev",
        [DEV],
        {"DB_PORT": str(free_port()), "REDIS_PORT": str(free_port()), "API_PORT": str(free_port())},
    )
    stack.down(volumes=True)
    try:
        stack.compose("up", "--detach", "--build", "--wait", timeout=900)
        yield stack
    finally:
        stack.down(volumes=True)


def prod_env() -> dict[str, str]:
    return {
        "HTTP_BIND": "127.0.0.1",
        "HTTP_PORT": str(free_port()),
        "JWT_SECRET_KEY": secrets.token_hex(32),
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "GIT_COMMIT": "compose-check",
    }


@pytest.fixture(scope="session")
def prod_stack() -> Iterator[Stack]:
    """The production stack with two API replicas behind nginx."""
    stack = Stack("mosaic-check-prod", [PROD], prod_env())
    stack.down(volumes=True)
    try:
        stack.compose("up", "--detach", "--build", "--wait", "--scale", "api=2", timeout=900)
        wait_for(int(stack.env["HTTP_PORT"]), "/health")
        yield stack
    finally:
        stack.down(volumes=True)
