"""`docker compose up` (docker-compose.yml): migrates, seeds and serves on loopback."""

from __future__ import annotations

import json
import re

from tests.compose.stack import Stack, http, inspect


def test_dev_stack_serves_health_through_the_published_port(dev_stack: Stack) -> None:
    reply = http(int(dev_stack.env["API_PORT"]), "GET", "/health")
    assert reply.status == 200, reply.body
    checks = reply.json()["checks"]
    assert (checks["database"], checks["redis"]) == ({"status": "up"}, {"status": "up"})
    assert checks["rate_limits"] == {"storage": "redis", "scope": "shared by all workers"}


def test_dev_stack_migrated_and_seeded(dev_stack: Stack) -> None:
    logs = dev_stack.compose("logs", "--no-log-prefix", "api")
    assert "Running upgrade" in logs
    seeded = re.search(r"geo: [1-9][0-9]* postal codes", logs)
    assert seeded
    assert logs.index("Running upgrade") < seeded.start() < logs.index("Listening at")
    assert re.search(r"numbers: [0-9]+ created", logs)
    current = dev_stack.compose("exec", "-T", "api", "alembic", "current")
    assert "(head)" in current
    numbers = http(int(dev_stack.env["API_PORT"]), "GET", "/api/v1/numbers?per_page=1")
    assert numbers.status == 200
    assert int(numbers.headers["X-Total-Count"]) >= 800
    geo = http(int(dev_stack.env["API_PORT"]), "GET", "/api/v1/postal-codes")
    assert geo.status == 200


def test_dev_stack_publishes_on_loopback_only(dev_stack: Stack) -> None:
    for service in ("db", "redis", "api"):
        (container,) = dev_stack.containers(service)
        bindings = json.loads(inspect(container, "{{json .NetworkSettings.Ports}}"))
        host_ips = {b["HostIp"] for ports in bindings.values() if ports for b in ports}
        assert host_ips == {"127.0.0.1"}, (service, bindings)
