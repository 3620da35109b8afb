"""Deployment files read and run without Docker: compose files, the Dockerfile, nginx.conf,
and stub servers for healthchecks and nginx's upstream."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

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
    """The stub upstream itself; `server.seen` lists the (method, path) that reached it."""
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
