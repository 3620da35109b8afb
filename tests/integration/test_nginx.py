"""nginx.conf: read, checked with `nginx -t`, and a real nginx in front of a stub upstream."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.deploy import (
    NGINX,
    NO_NGINX,
    PROBLEM_STATUSES,
    block,
    free_port,
    nginx_conf,
    upstream,
    upstream_server,
)

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
            status, _, _ = request(listen_port, "POST", "/api/v1/numbers", body=b"{}", headers={})
            assert status == 200
    assert server.seen == [("POST", "/api/v1/numbers")]  # type: ignore[attr-defined]


def test_nginx_limit_req_answers_429_problems_before_gunicorn(tmp_path: Path) -> None:
    assert NGINX, NO_NGINX
    listen_port, sent = free_port(), 400
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


def test_nginx_limit_req_exempts_addresses_listed_in_mosaic_d(tmp_path: Path) -> None:
    """The operator's knob (nginx.conf, beside limit_req_zone): a mosaic.d/*.conf file that
    defines the key again exempts an address; bench/load_mix.sh relies on it."""
    assert NGINX, NO_NGINX
    listen_port, sent = free_port(), 400
    (tmp_path / "mosaic.d").mkdir()
    (tmp_path / "mosaic.d/exempt.conf").write_text(
        'map $remote_addr $limit_per_client { default $binary_remote_addr; 127.0.0.1 ""; }\n'
    )
    with upstream_server() as server:
        upstream_port = int(server.server_address[1])
        conf = render_nginx_conf(tmp_path, upstream_port=upstream_port, listen_port=listen_port)
        with running_nginx(conf, listen_port):
            statuses = [
                request(listen_port, "GET", "/api/v1/numbers", headers={})[0] for _ in range(sent)
            ]
    assert statuses == [200] * sent
    assert len(server.seen) == sent  # type: ignore[attr-defined]
