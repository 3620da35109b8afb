"""The compose files, read: services, loopback ports, healthchecks, secrets from the environment."""

from __future__ import annotations

import re
import runpy

import pytest

from mosaic.config import from_environment
from tests.support.deploy import (
    DEV,
    PROD,
    ROOT,
    compose,
    environment,
    healthcheck_command,
    nginx_conf,
    published_ports,
    runtime_stage,
    services,
    variables_read_by_the_app,
)

# --- docker-compose.yml (development) ------------------------------------------------------------


def test_dev_compose_has_the_services_provision_sh_uses() -> None:
    dev = services(DEV)
    assert {"db", "redis", "api"} <= set(dev)
    assert dev["db"]["image"] == "postgis/postgis:15-3.4"
    assert dev["redis"]["image"] == "redis:7-alpine"
    db_env = environment(dev["db"])
    assert db_env["POSTGRES_USER"] == "mosaic"  # provision.sh runs `exec db ... -U mosaic`
    assert db_env["POSTGRES_DB"] == "mosaic"
    assert "pg_isready" in healthcheck_command(dev["db"])
    assert "-U" in healthcheck_command(dev["db"])
    assert healthcheck_command(dev["redis"])[:2] == ["redis-cli", "ping"]


def test_dev_compose_publishes_on_loopback_only() -> None:
    """On 127.0.0.1, at the usual ports unless DB_PORT, REDIS_PORT or API_PORT say otherwise."""
    expected = {
        "db": ("DB_PORT", "5432"),
        "redis": ("REDIS_PORT", "6379"),
        "api": ("API_PORT", "8000"),
    }
    for name, service in services(DEV).items():
        ports = published_ports(service)
        for port in ports:
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
        if name in expected:
            variable, default = expected[name]
            assert f"127.0.0.1:${{{variable}:-{default}}}:{default}" in ports


def test_dev_api_waits_for_healthy_dependencies_and_mounts_the_seed_data() -> None:
    api = services(DEV)["api"]
    assert api["build"] == "." or api["build"]["context"] == "."
    for dependency in ("db", "redis"):
        assert api["depends_on"][dependency]["condition"] == "service_healthy"
    env = environment(api)
    assert env["DATABASE_URL"] == "postgresql+psycopg2://mosaic:mosaic@db:5432/mosaic"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["SEED_DATA_DIR"] == "/data"
    assert env["SEED_ON_START"].lower() == "true"
    assert env["MOSAIC_ENV"] == "development"
    assert "../shared/data:/data:ro" in api["volumes"]
    assert "pgdata" in compose(DEV)["volumes"]


# --- docker-compose.prod.yml ---------------------------------------------------------------------


def test_prod_compose_services_restart_and_have_healthchecks() -> None:
    prod = services(PROD)
    assert set(prod) == {"nginx", "api", "db", "redis"}
    for name, service in prod.items():
        assert service.get("restart") in {"unless-stopped", "always"}, name
        assert healthcheck_command(service), name
    assert prod["nginx"]["image"].startswith("nginx:1.27")
    assert prod["db"]["image"] == "postgis/postgis:15-3.4"


def test_prod_compose_publishes_only_nginx() -> None:
    prod = services(PROD)
    for name in ("api", "db", "redis"):
        assert not published_ports(prod[name]), f"{name} must not be published in production"
    assert published_ports(prod["nginx"]) == ["${HTTP_BIND:-0.0.0.0}:${HTTP_PORT:-80}:8080"]
    assert "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in prod["nginx"]["volumes"]
    assert prod["nginx"]["depends_on"]["api"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["api", "nginx"])
def test_prod_containers_run_unprivileged_on_a_read_only_root(name: str) -> None:
    service = services(PROD)[name]
    uid = str(service["user"]).split(":", 1)[0]
    assert uid.isdigit(), f"{name} user should be numeric, not {service['user']!r}"
    assert int(uid) != 0
    assert service["read_only"] is True
    assert "/tmp" in service["tmpfs"]  # noqa: S108 (a private tmpfs)
    assert "no-new-privileges:true" in service["security_opt"]


def test_prod_api_user_is_the_image_user() -> None:
    assert str(services(PROD)["api"]["user"]).split(":", 1)[0] == "10001"
    users = [arguments for word, arguments in runtime_stage() if word == "USER"]
    assert users[-1].split(":", 1)[0] == "10001"


def test_prod_api_settings() -> None:
    env = environment(services(PROD)["api"])
    assert env["MOSAIC_ENV"] == "production"
    assert env["PROXY_HOPS"] == "1"
    assert env["FORWARDED_ALLOW_IPS"] == "*"
    assert env["LOG_LEVEL"] == "INFO"
    assert env["WEB_CONCURRENCY"].startswith("${WEB_CONCURRENCY")
    assert "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].endswith("redis://redis:6379/0}")


def test_prod_secrets_come_from_the_environment() -> None:
    prod = services(PROD)
    api_env = environment(prod["api"])
    assert re.fullmatch(r"\$\{JWT_SECRET_KEY:\?[^}]+\}", api_env["JWT_SECRET_KEY"])
    assert re.fullmatch(
        r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", environment(prod["db"])["POSTGRES_PASSWORD"]
    )
    for name, service in prod.items():
        for key, value in environment(service).items():
            if re.search(r"SECRET|PASSWORD|TOKEN", key):
                assert value.startswith("${"), f"{name}.{key} is written in the file"
    password = re.search(r"://[^:/@]+:(.+)@db:", api_env["DATABASE_URL"])
    assert password, "DATABASE_URL should name the db service"
    assert password.group(1).startswith("${"), "the database password is written in the file"


def test_env_example_documents_every_variable_the_prod_compose_reads() -> None:
    example = (ROOT / ".env.example").read_text()
    referenced = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (ROOT / PROD).read_text()))
    assert {"JWT_SECRET_KEY", "POSTGRES_PASSWORD"} <= referenced
    for name in referenced:
        assert re.search(rf"^#?\s*{name}=", example, re.MULTILINE), f"{name} not in .env.example"
    # Required secrets ship empty, so Compose's `:?` refuses to start until they are filled in.
    for name in ("JWT_SECRET_KEY", "POSTGRES_PASSWORD"):
        assert re.search(rf"^{name}=$", example, re.MULTILINE), f"{name} should be empty"


# --- both compose files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [DEV, PROD])
def test_no_debug_anywhere(name: str) -> None:
    text = (ROOT / name).read_text()
    assert "FLASK_DEBUG" not in text
    assert "--reload" not in text
    assert not re.search(r"--debug\b", text)
    for service_name, service in services(name).items():
        for key, value in environment(service).items():
            if "DEBUG" in key:
                assert value.lower() in {"0", "false", "no", "off", ""}, f"{service_name}.{key}"
            if key == "LOG_LEVEL":
                assert value.upper() != "DEBUG", service_name


@pytest.mark.parametrize("name", [DEV, PROD])
def test_api_environment_names_are_read_by_the_app(name: str) -> None:
    known = variables_read_by_the_app()
    assert {"DATABASE_URL", "JWT_SECRET_KEY", "WEB_CONCURRENCY", "SEED_ON_START"} <= known
    unknown = set(environment(services(name)["api"])) - known
    assert not unknown, f"{name}: api sets variables nothing reads: {sorted(unknown)}"


def test_jwt_secret_comes_from_the_environment_in_dev_too() -> None:
    value = environment(services(DEV)["api"])["JWT_SECRET_KEY"]
    assert value.startswith("${JWT_SECRET_KEY:-")
    default = value.removeprefix("${JWT_SECRET_KEY:-").removesuffix("}")
    assert len(default.encode()) >= 32, "the app replaces a short key with a per-worker one"


def nginx_seconds(directive: str) -> int:
    found = re.findall(rf"^\s*{directive}\s+(\d+)s;", nginx_conf(), re.MULTILINE)
    assert len(found) == 1, f"expected one {directive}"
    return int(found[0])


def test_timeouts_are_ordered_statement_then_gunicorn_then_nginx() -> None:
    """A slow query is cancelled by PostgreSQL (503) before gunicorn kills the worker, and
    gunicorn acts before nginx gives up on the upstream (504): each layer answers its own."""
    statement_s = from_environment({})["DATABASE_STATEMENT_TIMEOUT_MS"] / 1000
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    for name in ("DATABASE_STATEMENT_TIMEOUT_MS", "GUNICORN_TIMEOUT"):
        for file in (DEV, PROD):
            for service in services(file).values():
                assert name not in environment(service), f"{file} overrides {name}"
    assert statement_s < gunicorn["timeout"] < nginx_seconds("proxy_read_timeout")
    assert gunicorn["timeout"] < nginx_seconds("proxy_send_timeout")
    grace = services(PROD)["api"]["stop_grace_period"]
    assert gunicorn["graceful_timeout"] < int(str(grace).removesuffix("s"))
