"""docker-compose.prod.yml: nginx in front, the API unprivileged on a read-only root, secrets
from the environment, boot.sh migrating then exec'ing gunicorn, healthy, data kept on a restart."""

from __future__ import annotations

import json
import secrets
import uuid
from urllib.parse import urlsplit

from tests.compose.conftest import PROD, prod_env
from tests.compose.stack import Stack, docker, http, inspect, timed_logs, wait_for

EDITOR, PASSWORD = "compose-check-editor", secrets.token_hex(12)


def port(stack: Stack) -> int:
    return int(stack.env["HTTP_PORT"])


def login(stack: Stack, username: str = EDITOR, password: str = PASSWORD) -> str:
    reply = http(
        port(stack), "POST", "/api/v1/auth/token", body={"username": username, "password": password}
    )
    assert reply.status == 200, reply.body
    return str(reply.json()["access_token"])


def create_editor(stack: Stack) -> None:
    stack.compose(
        "exec", "-T", "api", "flask", "--app", "mosaic", "users", "create", EDITOR,
        "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip


def test_every_service_is_healthy_and_only_nginx_is_published(prod_stack: Stack) -> None:
    for service in ("nginx", "api", "db", "redis"):
        for container in prod_stack.containers(service):
            assert inspect(container, "{{.State.Health.Status}}") == "healthy", service
            ports = json.loads(inspect(container, "{{json .NetworkSettings.Ports}}"))
            published = [b for bindings in ports.values() if bindings for b in bindings]
            if service == "nginx":
                assert {b["HostIp"] for b in published} == {"127.0.0.1"}
            else:
                assert not published, (service, ports)


def test_nginx_is_in_front_of_gunicorn(prod_stack: Stack) -> None:
    reply = http(port(prod_stack), "GET", "/health", headers={"X-Request-ID": "check-front-1"})
    assert reply.status == 200
    assert reply.headers["Server"] == "nginx"
    assert reply.headers["X-Frame-Options"] == "DENY"  # added by nginx.conf
    assert reply.headers["X-Request-ID"] == "check-front-1"
    assert http(port(prod_stack), "GET", "/nginx-health").body == "ok\n"


def test_absolute_urls_point_back_at_the_published_port(prod_stack: Stack) -> None:
    tilejson = http(port(prod_stack), "GET", "/api/v1/tiles/postal-codes.json")
    assert tilejson.status == 200, tilejson.body
    (template,) = tilejson.json()["tiles"]
    assert template.startswith(f"http://127.0.0.1:{port(prod_stack)}/api/v1/tiles/")


def test_api_runs_unprivileged_on_a_read_only_root(prod_stack: Stack) -> None:
    for container in prod_stack.containers("api"):
        assert inspect(container, "{{.HostConfig.ReadonlyRootfs}}") == "true"
        assert docker("exec", container, "id", "-u").strip() == "10001"
        denied = docker("exec", container, "sh", "-c", "touch /app/x 2>&1; echo $?", check=False)
        assert "Read-only file system" in denied
        assert docker("exec", container, "sh", "-c", "touch /tmp/x && echo ok").strip() == "ok"


def test_boot_migrated_then_exec_d_gunicorn_as_pid_1(prod_stack: Stack) -> None:
    for container in prod_stack.containers("api"):
        pid1 = docker("exec", container, "cat", "/proc/1/cmdline").replace("\0", " ")
        assert "gunicorn" in pid1
        assert "boot.sh" not in pid1
        logs = timed_logs(container)
        assert "Context impl PostgresqlImpl" in logs
        assert logs.index("Context impl PostgresqlImpl") < logs.index("Listening at")
    assert "(head)" in prod_stack.compose("exec", "-T", "api", "alembic", "current")


def test_secrets_come_from_the_environment(prod_stack: Stack) -> None:
    (container, *_) = prod_stack.containers("api")
    env = docker("exec", container, "env")
    assert f"JWT_SECRET_KEY={prod_stack.env['JWT_SECRET_KEY']}" in env.splitlines()
    assert prod_stack.env["POSTGRES_PASSWORD"] in env  # in DATABASE_URL
    for missing in ("JWT_SECRET_KEY", "POSTGRES_PASSWORD"):
        without = Stack("mosaic-check-config", [PROD], {**prod_env(), missing: ""})
        run = without.run("config", "--quiet")
        assert run.returncode != 0
        assert f"set {missing}" in run.stderr


def test_the_api_refuses_to_start_with_a_weak_jwt_secret(prod_stack: Stack) -> None:
    run = prod_stack.run(
        "run", "--rm", "--no-deps", "-e", "JWT_SECRET_KEY=short-secret", "api", timeout=120
    )
    assert run.returncode != 0
    assert "JWT_SECRET_KEY is unfit for production: shorter than 32 bytes" in run.stderr


def test_down_then_up_keeps_the_data(prod_stack: Stack) -> None:
    create_editor(prod_stack)
    value = f"+34 91 {uuid.uuid4().int % 10**7:07d}"
    body = {"value": value, "monthyPrice": "0.03", "setupPrice": "3.40", "currency": "U$"}
    headers = {"Authorization": f"Bearer {login(prod_stack)}"}
    created = http(port(prod_stack), "POST", "/api/v1/numbers", body=body, headers=headers)
    assert created.status == 201, created.body
    location = urlsplit(created.headers["Location"])

    prod_stack.down(volumes=False)
    prod_stack.compose("up", "--detach", "--wait", "--scale", "api=2", timeout=600)
    wait_for(port(prod_stack), "/health")

    kept = http(port(prod_stack), "GET", location.path)
    assert kept.status == 200, kept.body
    assert kept.json() == created.json()
    login(prod_stack)  # the user is kept too
