"""OWASP API8:2023 Security Misconfiguration, against a live gunicorn (what nginx proxies to).

TRACE and unknown methods are 405 problems that echo nothing; no response names a server,
framework or language version; errors are problem details without tracebacks or debugger
pages.

Held elsewhere: nginx's own hardening, `server_tokens off` and the security headers it adds
(tests/integration/test_nginx.py: test_nginx_serves_problem_details_and_proxies, and with
issue 9 test_nginx_security.py for HSTS); an unexpected error is a 500 problem without the
traceback or the exception's text (tests/e2e/test_platform_errors.py:
test_unexpected_error_is_a_500_problem_without_traceback); CORS from an allow-list only
(tests/e2e/test_platform_cors.py); with issue 9, `Cache-Control: no-store` on token responses,
`private` + `Vary: Authorization` on authenticated reads and the CSP
(tests/e2e/test_platform_headers.py).
"""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e
VERSIONED = re.compile(r"(gunicorn|werkzeug|python|flask|nginx)\s*/?\s*v?\d", re.I)
LEAKY_HEADERS = {"x-powered-by", "x-aspnet-version", "x-runtime", "x-version"}
URLS = ["/", "/health", "/api/v2/numbers?per_page=1", "/api/v2/numbers/0", "/api/v1/nowhere"]
SECRET = "Bearer not-a-token-but-a-secret"


def send(
    server: LiveServer, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    address = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        found = {name.lower(): value for name, value in response.getheaders()}
        return response.status, found, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT", "PROPFIND"])
def test_api8_trace_and_unknown_methods_are_405_problems_that_echo_nothing(
    live_server: LiveServer, method: str
) -> None:
    for path in ("/openapi.json", "/api/v2/numbers", "/health"):
        status, headers, body = send(live_server, method, path, {"Authorization": SECRET})
        assert status == 405, f"{method} {path}"
        assert headers["content-type"] == "application/problem+json"
        assert "not-a-token" not in body
        assert json.loads(body)["status"] == 405


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "DELETE", "TRACE"])
def test_api8_no_response_names_a_server_or_framework_version(
    live_server: LiveServer, method: str
) -> None:
    for path in URLS:
        _status, headers, body = send(live_server, method, path)
        assert not LEAKY_HEADERS & set(headers), f"{method} {path}: {headers}"
        assert not VERSIONED.search(headers.get("server", "")), headers["server"]
        assert not VERSIONED.search(body), f"{method} {path}: {body[:200]}"


def test_api8_errors_are_problems_without_debugger_or_traceback(live_server: LiveServer) -> None:
    for path in ("/console", "/api/v2/numbers?per_page=zero", "/api/v2/numbers/1%00"):
        status, headers, body = send(live_server, "GET", path)
        assert 400 <= status < 500, path
        assert headers["content-type"] == "application/problem+json", path
        assert "Traceback" not in body
        assert "werkzeug" not in body.lower()
