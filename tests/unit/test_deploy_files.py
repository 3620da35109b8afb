"""Deployment files, checked without Docker: the compose files, the Dockerfile, boot.sh (run with
stub commands), the healthcheck commands (run against a stub server) and nginx.conf (`nginx -t`
and a live smoke test when an nginx binary is installed)."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import runpy
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DEV = "docker-compose.yml"
PROD = "docker-compose.prod.yml"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
NO_NGINX = "no nginx binary: `make test` installs nginx-light (scripts/test-tools.sh)"
PROBLEM_STATUSES = (413, 429, 502, 503, 504)


# --- helpers -------------------------------------------------------------------------------------


def compose(name: str) -> dict[str, Any]:
    document = yaml.safe_load((ROOT / name).read_text())
    assert isinstance(document, dict), f"{name} is not a YAML mapping"
    return document


def services(name: str) -> dict[str, dict[str, Any]]:
    return compose(name)["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def published_ports(service: dict[str, Any]) -> list[str]:
    return [
        f"{port.get('host_ip', '')}:{port.get('published', '')}:{port.get('target')}"
        if isinstance(port, dict)
        else str(port)
        for port in service.get("ports") or []
    ]


def healthcheck_command(service: dict[str, Any]) -> list[str]:
    test = service.get("healthcheck", {}).get("test")
    assert isinstance(test, list), "healthcheck.test should be a list (CMD form)"
    assert test[0] in {"CMD", "CMD-SHELL"}, test
    return [str(part) for part in test[1:]]


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    instructions = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            instructions.append((word.upper(), " ".join(rest.split())))
    return instructions


def runtime_stage() -> list[tuple[str, str]]:
    """The instructions of the last stage (the image that runs)."""
    instructions = dockerfile()
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def variables_read_by_the_app() -> set[str]:
    sources = [ROOT / "src/mosaic/config.py", ROOT / "gunicorn.conf.py", ROOT / "boot.sh"]
    text = "\n".join(path.read_text() for path in sources)
    names = set(re.findall(r"""(?:env|environ)\.get\(\s*["']([A-Z_]+)["']""", text))
    names |= set(re.findall(r"""_(?:int|flag)\(\s*env\s*,\s*["']([A-Z_]+)["']""", text))
    names |= set(re.findall(r"\$\{([A-Z_]+)", text))
    return names


def nginx_conf() -> str:
    return (ROOT / "nginx/nginx.conf").read_text()


def block(text: str, header: str) -> str:
    """The body of the `header { ... }` block; braces inside quoted strings do not count."""
    match = re.search(re.escape(header) + r"\s*\{", text)
    assert match, f"no `{header} {{ ... }}` block"
    depth, quote, comment = 1, "", False
    for index in range(match.end(), len(text)):
        char = text[index]
        if comment or (char == "#" and not quote):
            comment = char != "\n"
        elif quote:
            quote = "" if char == quote and text[index - 1] != "\\" else quote
        elif char in "'\"":
            quote = char
        elif char in "{}":
            depth += 1 if char == "{" else -1
            if depth == 0:
                return text[match.end() : index]
    raise AssertionError(f"`{header}` block is not closed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EchoUpstream(BaseHTTPRequestHandler):
    """Answers /health with the status in `server.health_status`; anything else echoes the
    request headers as a JSON document large enough to be gzipped. Counts what reaches it."""

    def do_GET(self) -> None:
        self.server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        status = getattr(self.server, "health_status", 200) if self.path == "/health" else 200
        body = json.dumps({"headers": dict(self.headers), "padding": "x" * 4096}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test's output is the assertions."""


@contextmanager
def upstream_server(port: int = 0, health_status: int = 200) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", port), EchoUpstream)
    server.health_status = health_status  # type: ignore[attr-defined]
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def upstream(port: int = 0, health_status: int = 200) -> Iterator[int]:
    with upstream_server(port, health_status) as server:
        yield int(server.server_address[1])


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
    assert {"requirements.txt", "src", "seeds", "alembic", "boot.sh"} <= set(sources)
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


# --- boot.sh -------------------------------------------------------------------------------------


def run_boot(tmp_path: Path, *args: str, **env: str) -> tuple[int, list[str], str]:
    """boot.sh with alembic, flask and gunicorn replaced by stubs that log their arguments."""
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    log = tmp_path / "calls.log"
    for name in ("alembic", "flask", "gunicorn"):
        stub = stubs / name
        rc = f"${{{name.upper()}_RC:-0}}"
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "$BOOT_LOG"\nexit {rc}\n')
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


# --- nginx/nginx.conf ----------------------------------------------------------------------------


def test_nginx_proxies_to_the_api_with_keepalive() -> None:
    text = nginx_conf()
    upstream_name = re.search(r"upstream\s+(\w+)\s*\{", text)
    assert upstream_name
    body = block(text, f"upstream {upstream_name.group(1)}")
    assert re.search(r"^\s*server\s+api:8000\b", body, re.MULTILINE)
    assert re.search(r"^\s*keepalive\s+\d+;", body, re.MULTILINE)
    assert f"proxy_pass http://{upstream_name.group(1)};" in text
    assert "proxy_http_version 1.1;" in text
    assert re.search(r'proxy_set_header\s+Connection\s+"";', text)
    assert re.search(r"^\s*listen\s+8080\b", text, re.MULTILINE)


def test_nginx_forwards_the_proxy_headers_and_a_request_id() -> None:
    text = nginx_conf()
    headers = dict(re.findall(r"proxy_set_header\s+(\S+)\s+(\S+);", text))
    assert headers["Host"] == "$http_host"  # with the port: absolute URLs point back at nginx
    assert headers["X-Forwarded-Host"] == "$http_host"
    assert headers["X-Real-IP"] == "$remote_addr"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    request_id = headers["X-Request-ID"]
    mapping = block(text, f"map $http_x_request_id {request_id}")
    assert "$http_x_request_id;" in mapping
    assert re.search(r"default\s+\$request_id;", mapping)


def test_nginx_limits_compresses_and_hardens() -> None:
    text = nginx_conf()
    assert re.search(r"^\s*client_max_body_size\s+1m;", text, re.MULTILINE)
    assert re.search(r"^\s*server_tokens\s+off;", text, re.MULTILINE)
    assert re.search(r"^\s*gzip\s+on;", text, re.MULTILINE)
    gzip_types = re.search(r"gzip_types([^;]+);", text)
    assert gzip_types
    for mime in (
        "application/json",
        "application/geo+json",
        "application/problem+json",
        "text/css",
        "application/javascript",
    ):
        assert mime in gzip_types.group(1).split(), mime
    for header, value in (
        ("X-Content-Type-Options", '"nosniff"'),
        ("X-Frame-Options", '"DENY"'),
        ("Referrer-Policy", None),
    ):
        match = re.search(rf"add_header\s+{header}\s+(\S+)\s+always;", text)
        assert match, header
        assert value is None or match.group(1) == value
    for timeout in ("proxy_connect_timeout", "proxy_read_timeout", "client_body_timeout"):
        assert re.search(rf"^\s*{timeout}\s+\d+s;", text, re.MULTILINE), timeout


def test_nginx_runs_unprivileged_with_json_logs() -> None:
    text = nginx_conf()
    assert not re.search(r"^\s*user\s", text, re.MULTILINE), "`user` needs a root master"
    assert re.search(r"^\s*pid\s+/tmp/", text, re.MULTILINE)
    for path in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert re.search(rf"^\s*{path}_temp_path\s+/tmp/", text, re.MULTILINE), path
    log_format = re.search(r"log_format\s+(\w+)\s+escape=json(.*?);", text, re.DOTALL)
    assert log_format
    assert '"request_id":"$req_id"' in log_format.group(2)
    assert re.search(rf"access_log\s+\S+\s+{log_format.group(1)};", text)
    assert not re.search(r"error_log\s+\S+\s+debug;", text)


@pytest.mark.parametrize("status", PROBLEM_STATUSES)
def test_nginx_errors_are_problem_details(status: int) -> None:
    text = nginx_conf()
    target = re.search(rf"error_page\s+{status}\s+(\S+);", text)
    assert target, f"no error_page for {status}"
    body = block(text, f"location {target.group(1)}")
    assert "default_type application/problem+json;" in body
    returned = re.search(r"return\s+(\d{3})\s+'(.*)';", body)
    assert returned
    assert int(returned.group(1)) == status
    problem = json.loads(returned.group(2).replace("$req_id", "r-1").removesuffix("\\n"))
    assert problem["status"] == status
    assert problem["type"]
    assert problem["title"]
    assert problem["detail"]


def render_nginx_conf(tmp_path: Path, *, upstream_port: int, listen_port: int) -> Path:
    """nginx.conf with the upstream on 127.0.0.1, a free port and everything in tmp_path."""
    text = nginx_conf()
    for old, new in (
        ("server api:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 8080 ", f"listen 127.0.0.1:{listen_port} "),
    ):
        assert text.count(old) == 1, f"expected one `{old}` in nginx.conf"
        text = text.replace(old, new)
    text = text.replace("/tmp/", f"{tmp_path}/")  # noqa: S108 (moved into tmp_path)
    path = tmp_path / "nginx.conf"
    path.write_text(text)
    return path


def test_nginx_conf_passes_nginx_t(tmp_path: Path) -> None:
    assert NGINX, NO_NGINX
    conf = render_nginx_conf(tmp_path, upstream_port=8000, listen_port=free_port())
    run = subprocess.run(
        [str(NGINX), "-t", "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "test is successful" in run.stderr


def request(
    port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@contextmanager
def running_nginx(conf: Path, port: int) -> Iterator[None]:
    errors = conf.with_name("error.log")
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [str(NGINX), "-c", str(conf), "-e", "stderr", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, errors.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_nginx_serves_problem_details_and_proxies(tmp_path: Path) -> None:
    assert NGINX, NO_NGINX
    upstream_port, listen_port = free_port(), free_port()
    conf = render_nginx_conf(tmp_path, upstream_port=upstream_port, listen_port=listen_port)
    with running_nginx(conf, listen_port):
        status, headers, body = request(listen_port, "GET", "/nginx-health", headers={})
        assert (status, body) == (200, b"ok\n")

        # Nothing listens on the upstream port yet: nginx answers 502 itself.
        status, headers, body = request(
            listen_port, "GET", "/geo", headers={"X-Request-ID": "client-id-1"}
        )
        assert status == 502
        assert headers["Content-Type"] == "application/problem+json"
        problem = json.loads(body)
        assert (problem["status"], problem["request_id"]) == (502, "client-id-1")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Server"] == "nginx"  # server_tokens off: no version

        status, headers, body = request(
            listen_port, "POST", "/geo", body=b"{" + b" " * (1024 * 1024 + 1) + b"}", headers={}
        )
        assert status == 413
        assert headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["status"] == 413

        with upstream(upstream_port):
            status, headers, body = request(
                listen_port,
                "GET",
                "/geo",
                headers={"Accept-Encoding": "gzip", "X-Request-ID": "a b"},
            )
            assert status == 200
            assert headers["Content-Encoding"] == "gzip"
            seen = json.loads(gzip.decompress(body))["headers"]
            assert re.fullmatch(r"[0-9a-f]{32}", seen["X-Request-ID"]), "nginx's own id"
            assert seen["X-Forwarded-Proto"] == "http"
            assert seen["X-Real-IP"] == "127.0.0.1"
            assert seen["X-Forwarded-For"] == "127.0.0.1"

            status, _, body = request(
                listen_port, "GET", "/geo", headers={"X-Request-ID": "client-id-2"}
            )
            assert status == 200
            assert json.loads(body)["headers"]["X-Request-ID"] == "client-id-2"


def test_nginx_refuses_oversized_bodies_before_gunicorn(tmp_path: Path) -> None:
    assert NGINX, NO_NGINX
    listen_port = free_port()
    with upstream_server() as server:
        upstream_port = int(server.server_address[1])
        conf = render_nginx_conf(tmp_path, upstream_port=upstream_port, listen_port=listen_port)
        with running_nginx(conf, listen_port):
            big = b"{" + b" " * (1024 * 1024 + 1) + b"}"
            status, headers, _ = request(
                listen_port, "POST", "/api/v1/numbers", body=big, headers={}
            )
            assert status == 413
            assert headers["Content-Type"] == "application/problem+json"
            small = b"{}"
            status, _, _ = request(listen_port, "POST", "/api/v1/numbers", body=small, headers={})
            assert status == 200
    assert server.seen == [("POST", "/api/v1/numbers")]  # type: ignore[attr-defined]


def test_nginx_limit_req_answers_429_problems_before_gunicorn(tmp_path: Path) -> None:
    assert NGINX, NO_NGINX
    listen_port = free_port()
    sent = 400
    with upstream_server() as server:
        upstream_port = int(server.server_address[1])
        conf = render_nginx_conf(tmp_path, upstream_port=upstream_port, listen_port=listen_port)
        with running_nginx(conf, listen_port):
            replies = [
                request(listen_port, "GET", "/api/v1/numbers", headers={}) for _ in range(sent)
            ]
    statuses = [status for status, _, _ in replies]
    refused = [(headers, body) for status, headers, body in replies if status == 429]
    assert refused, "a burst past limit_req should be refused"
    assert statuses.count(200) + len(refused) == sent
    headers, body = refused[0]
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Retry-After"] == "1"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(body)["status"] == 429
    assert len(server.seen) == statuses.count(200)  # type: ignore[attr-defined]


def nginx_seconds(directive: str) -> int:
    found = re.findall(rf"^\s*{directive}\s+(\d+)s;", nginx_conf(), re.MULTILINE)
    assert len(found) == 1, f"expected one {directive}"
    return int(found[0])


def test_timeouts_are_ordered_statement_then_gunicorn_then_nginx() -> None:
    """A slow query is cancelled by PostgreSQL (503) before gunicorn kills the worker, and
    gunicorn acts before nginx gives up on the upstream (504): each layer answers its own."""
    from mosaic.config import from_environment

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
