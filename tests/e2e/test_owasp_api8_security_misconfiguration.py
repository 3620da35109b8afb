"""OWASP API8:2023 Security Misconfiguration, against a live gunicorn (what nginx proxies to).

TRACE and unknown methods are 405 problems that echo nothing; no response names a server,
framework or language version; errors are problem details without tracebacks or debugger
pages; every response to a request with credentials is `Cache-Control: private, no-store` with
`Vary: Authorization`, in every context, whatever its status.

Held elsewhere: nginx's own hardening, `server_tokens off` and the security headers it adds
(tests/integration/test_nginx.py: test_nginx_serves_problem_details_and_proxies, and with
issue 9 test_nginx_security.py for HSTS); an unexpected error is a 500 problem without the
traceback or the exception's text (tests/e2e/test_platform_errors.py:
test_unexpected_error_is_a_500_problem_without_traceback); CORS from an allow-list only
(tests/e2e/test_platform_cors.py); with issue 9, `Cache-Control: no-store` on token responses,
304s for clients that revalidate an authenticated response themselves, and the CSP
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


AUTHENTICATED = [
    ("GET", "/api/v1/numbers?per_page=2", None),
    ("GET", "/api/v2/numbers/0", None),
    ("GET", "/api/v1/postal-codes/28001", None),
    ("GET", "/api/v1/regions/madrid", None),
    ("GET", "/api/v1/expenses?limit=2", None),
    ("GET", "/api/v1/sensors/kpis?from=2022-11-08&to=2022-11-09", None),
    ("POST", "/api/v1/numbers", {}),
    ("POST", "/api/v1/auth/logout", None),  # last: it ends the session
]


def send(
    server: LiveServer,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: object = None,
) -> tuple[int, dict[str, str], str]:
    address = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    sent = json.dumps(body) if body is not None else None
    headers = {**(headers or {}), **({"Content-Type": "application/json"} if sent else {})}
    try:
        connection.request(method, path, body=sent, headers=headers)
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


def test_api8_responses_to_credentials_are_never_stored_by_any_cache(
    live_server: LiveServer,
) -> None:
    credentials = {"username": live_server.username, "password": live_server.password}
    status, headers, body = send(live_server, "POST", "/api/v1/auth/token", body=credentials)
    assert status == 200
    assert headers["cache-control"] == "no-store"
    bearer = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    seen = []
    for method, path, sent in [*AUTHENTICATED, ("GET", "/api/v1/numbers", None)]:
        status, headers, _body = send(live_server, method, path, bearer, sent)
        seen.append(status)
        assert set(headers["cache-control"].split(", ")) == {"private", "no-store"}, path
        assert "Authorization" in headers.get("vary", ""), path
    # the logout ended the token: the last answer is a 401
    assert seen == [200, 404, 200, 200, 200, 200, 422, 204, 401], seen

    status, headers, _body = send(live_server, "GET", "/api/v1/numbers?per_page=2")
    assert status == 200
    assert headers["cache-control"] == "no-cache"  # anonymous: any cache, revalidated (ETag)
    assert headers["etag"]
