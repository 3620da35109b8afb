"""OWASP API4:2023 Unrestricted Resource Consumption.

What one request may ask of the service is capped: page sizes and page numbers, legend classes,
coordinate precision and tile zooms are refused past their limits (400 naming the parameter);
a body past MAX_CONTENT_LENGTH is a 413 before it is read, through a live gunicorn too, chunked
or not; a statement past DATABASE_STATEMENT_TIMEOUT_MS is cancelled and answered 503 with
Retry-After, and the connection serves the next request.

Held elsewhere: bodies nested 1,000 deep, huge integer literals and lone surrogates (issue 9:
tests/e2e/test_platform_bodies.py); the per-client rate limit (tests/e2e/test_platform_ops.py:
test_rate_limit_is_429_problem_with_headers); batches over 1,000 items (API6).
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from tests.e2e.conftest import LiveServer
from tests.e2e.test_platform_errors import assert_problem

pytestmark = pytest.mark.e2e
LIMIT = 1024 * 1024  # MAX_CONTENT_LENGTH's default, which the live server keeps
LOGIN = "/api/v1/auth/token"  # public and reads its body: what an anonymous client can reach


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v2/numbers?per_page=101", "per_page"),
        ("/api/v1/numbers?per_page=0", "per_page"),
        ("/api/v2/numbers?page=1000001", "page"),
        ("/api/v1/postal-codes?classes=11", "classes"),
        ("/api/v1/postal-codes?precision=16", "precision"),
        ("/api/v1/regions/madrid?precision=99", "precision"),
        ("/api/v1/tiles/postal-codes/23/0/0.mvt", "z"),
    ],
)
def test_api4_sizes_past_their_caps_are_400s_naming_the_parameter(
    client: FlaskClient, url: str, parameter: str
) -> None:
    body = assert_problem(client.get(url), 400)
    assert parameter in {error["parameter"] for error in body["errors"]}


def _post(server: LiveServer, body: bytes, *, chunked: bool) -> tuple[int, dict[str, str], bytes]:
    address = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {"Content-Type": "application/json"}
    try:
        if chunked:
            pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
            connection.request("POST", LOGIN, body=pieces, headers=headers, encode_chunked=True)
        else:
            connection.request("POST", LOGIN, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail("the server dropped the connection instead of answering 413")
    finally:
        connection.close()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_api4_an_oversized_body_is_a_413_problem_from_gunicorn(
    live_server: LiveServer, chunked: bool
) -> None:
    """The guard is the app's own (nginx has the same limit in front, tests/integration)."""
    oversized = json.dumps({"username": "ana", "password": "x" * (LIMIT + 10)}).encode()
    status, headers, body = _post(live_server, oversized, chunked=chunked)
    assert status == 413
    assert headers["Content-Type"] == "application/problem+json"
    assert f"{LIMIT} bytes" in json.loads(body)["detail"]


def test_api4_a_statement_past_the_timeout_is_a_503_and_the_next_request_is_served(
    make_app: Callable[..., Flask], engine: Engine
) -> None:
    """A lock held elsewhere makes the list's first statement wait past a 200 ms timeout."""
    client = make_app(DATABASE_STATEMENT_TIMEOUT_MS=200).test_client()
    held, released = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with engine.begin() as connection:
            connection.execute(text("LOCK TABLE phone_number_revision IN ACCESS EXCLUSIVE MODE"))
            held.set()
            released.wait(timeout=30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert held.wait(timeout=10)
        response = client.get("/api/v2/numbers?per_page=1")
    finally:
        released.set()
        holder.join(timeout=30)
    body = assert_problem(response, 503)
    assert response.headers["Retry-After"]
    assert "database" in body["detail"]
    assert client.get("/api/v2/numbers?per_page=1").status_code == 200
