"""Drive a Compose project from the tests: `docker compose` with the project's own files, a
project name of its own and host ports picked free on loopback; HTTP to the published port, and
HTTP from inside one container to its own gunicorn (to reach one replica of several)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Runs inside an API container (its Python, its loopback): one request, the answer as JSON.
IN_CONTAINER_REQUEST = """
import json, sys, urllib.error, urllib.request
method, path, body, headers = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
request = urllib.request.Request("http://127.0.0.1:8000" + path, method=method,
                                 data=body.encode() if body else None, headers=headers)
try:
    response = urllib.request.urlopen(request, timeout=20)
except urllib.error.HTTPError as error:
    response = error
print(json.dumps({"status": response.status, "headers": dict(response.headers),
                  "body": response.read().decode()}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Stack:
    """One Compose project: `files` under the repository root, `env` on top of os.environ."""

    project: str
    files: list[str]
    env: dict[str, str] = field(default_factory=dict)

    root = ROOT

    def command(self) -> list[str]:
        command = ["docker", "compose", "-p", self.project]
        for name in self.files:
            command += ["-f", str(ROOT / name)]
        return command

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def run(
        self, *args: str, timeout: float = 600, stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """`docker compose ARGS` whatever its exit code."""
        return subprocess.run(
            [*self.command(), *args],
            cwd=ROOT,
            env=self.environment(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def compose(self, *args: str, timeout: float = 600, stdin: str = "") -> str:
        """`docker compose ARGS`, which must succeed; its stdout."""
        run = self.run(*args, timeout=timeout, stdin=stdin)
        if run.returncode != 0:
            raise AssertionError(f"docker compose {' '.join(args)}: {run.returncode}\n{run.stderr}")
        return run.stdout

    def containers(self, service: str) -> list[str]:
        return sorted(self.compose("ps", "-q", service).split())

    def down(self, *, volumes: bool) -> None:
        self.compose("down", "--remove-orphans", *(["--volumes"] if volumes else []))


def docker(*args: str, check: bool = True, timeout: float = 120) -> str:
    run = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and run.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}: {run.returncode}\n{run.stderr}")
    return run.stdout


def timed_logs(container: str) -> str:
    """stdout and stderr of a container, merged in the order they were written."""
    run = subprocess.run(
        ["docker", "logs", "--timestamps", container],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return "\n".join(sorted((run.stdout + run.stderr).splitlines()))


def inspect(container: str, template: str) -> str:
    return docker("inspect", "--format", template, container).strip()


def http(
    port: int,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request to 127.0.0.1:`port`; a JSON `body` is sent as application/json."""
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method, data=data, headers=sent | (headers or {})
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Reply(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read().decode())


def http_in(
    container: str,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request from inside `container` to its own gunicorn: this replica, no other."""
    sent = ({"Content-Type": "application/json"} if body is not None else {}) | (headers or {})
    payload = json.dumps(body) if body is not None else ""
    out = docker(
        "exec",
        container,
        "python",
        "-c",
        IN_CONTAINER_REQUEST,
        method,
        path,
        payload,
        json.dumps(sent),
    )
    answer = json.loads(out)
    return Reply(answer["status"], answer["headers"], answer["body"])


def wait_for(port: int, path: str, *, status: int = 200, seconds: float = 120) -> Reply:
    deadline = time.monotonic() + seconds
    last: Reply | str = "no answer"
    while time.monotonic() < deadline:
        try:
            last = http(port, "GET", path)
            if last.status == status:
                return last
        except OSError as error:
            last = repr(error)
        time.sleep(1)
    raise AssertionError(f"GET {path} on {port} did not answer {status}: {last}")


def request_ids_served(container: str) -> set[str]:
    """The request ids of the app's access lines in the container's log."""
    ids = set()
    for line in docker("logs", container).splitlines():
        if line.startswith("{") and '"request_id"' in line:
            try:
                ids.add(str(json.loads(line).get("request_id")))
            except json.JSONDecodeError:
                continue
    return ids
