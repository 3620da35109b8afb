"""nginx in front of the API: HSTS when the client came over TLS, and the errors nginx answers
itself before gunicorn sees the request (a too-long URL, too-large headers, a malformed request)
as problem details, not HTML."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.integration.test_nginx import render_nginx_conf, request, running_nginx
from tests.support.deploy import NGINX, NO_NGINX, free_port, nginx_conf, upstream

HSTS = "Strict-Transport-Security"


def assert_problem(status: int, headers: dict[str, str], body: bytes, expected: int) -> None:
    assert status == expected, body
    assert headers["Content-Type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == expected
    assert problem["detail"]


def raw(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes no HTTP client library would; parse nginx's answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def test_gunicorn_accepts_whatever_nginx_lets_through() -> None:
    """gunicorn's own 400/414/431 pages are HTML: its limits sit at nginx's, so nginx refuses
    first and answers with problem details."""
    text = nginx_conf()
    assert "large_client_header_buffers 4 8k;" in text
    gunicorn = (Path(__file__).resolve().parents[2] / "gunicorn.conf.py").read_text()
    assert "limit_request_line = 8190" in gunicorn
    assert "limit_request_field_size = 8190" in gunicorn


@pytest.mark.usefixtures("tmp_path")
def test_nginx_sends_hsts_over_tls_and_answers_its_own_errors(tmp_path: Path) -> None:
    assert NGINX, NO_NGINX
    upstream_port, listen_port = free_port(), free_port()
    conf = render_nginx_conf(tmp_path, upstream_port=upstream_port, listen_port=listen_port)
    with running_nginx(conf, listen_port), upstream(upstream_port):
        _, over_tls, _ = request(listen_port, "GET", "/geo", headers={"X-Forwarded-Proto": "https"})
        assert over_tls[HSTS].startswith("max-age=")
        _, plain, _ = request(listen_port, "GET", "/geo", headers={})
        assert HSTS not in plain  # never over plain HTTP (RFC 6797, section 7.2)

        assert_problem(*request(listen_port, "GET", "/" + "a" * 9000, headers={}), 414)
        big = {"X-Big": "b" * 9000}
        assert_problem(*request(listen_port, "GET", "/geo", headers=big), 431)
        assert_problem(*raw(listen_port, b"GET /geo HTTP/1.1\r\nHost\r\n\r\n"), 400)
