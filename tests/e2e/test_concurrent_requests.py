"""Real parallel requests against a live gunicorn (2 workers x 4 threads): 20 clients released
at once by a barrier, each on its own connection. Optimistic locking lets exactly one of 20
writers holding one ETag win; one phone number posted 20 times is stored once. The numbers
used here (+55 84 90000-7xxx) are below the seed's range and deleted afterwards, through the
API, so the other live-server tests see the seeded inventory unchanged."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, func, select

from mosaic.numbers.models import PhoneNumberModel
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e
CLIENTS = 20
Reply = tuple[int, dict[str, str], Any]


def call(server: LiveServer, method: str, path: str, body: Any = None, **headers: str) -> Reply:
    address = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        payload = json.dumps(body) if body is not None else None
        sent = {"Content-Type": "application/json", **headers} if payload else headers
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
    finally:
        connection.close()


def race(send: Callable[[int], Reply]) -> list[Reply]:
    """Run send(0..CLIENTS-1) from CLIENTS threads released together."""
    start = threading.Barrier(CLIENTS)
    replies: list[Reply | None] = [None] * CLIENTS

    def client(index: int) -> None:
        start.wait()
        replies[index] = send(index)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(reply is not None for reply in replies), "a client got no answer"
    return [reply for reply in replies if reply is not None]


@pytest.fixture(scope="module")
def token(live_server: LiveServer) -> str:
    credentials = {"username": live_server.username, "password": live_server.password}
    status, _headers, body = call(live_server, "POST", "/api/v1/auth/token", credentials)
    assert status == 200
    return str(body["access_token"])


@pytest.fixture
def cleanup(live_server: LiveServer, token: str) -> Iterator[list[str]]:
    """Locations of the numbers a test made, deleted afterwards (which bumps the revision)."""
    made: list[str] = []
    yield made
    for location in made:
        call(live_server, "DELETE", location, Authorization=f"Bearer {token}", **{"If-Match": "*"})


def number(value: str, amount: str = "0.03") -> dict[str, Any]:
    money = {"amount": amount, "currency": "USD"}
    return {"value": value, "monthlyPrice": money, "setupPrice": {**money, "amount": "3.40"}}


def test_twenty_puts_with_one_etag_one_200_the_rest_412(
    live_server: LiveServer, token: str, cleanup: list[str]
) -> None:
    auth = f"Bearer {token}"
    status, headers, _ = call(
        live_server, "POST", "/api/v2/numbers", number("+5584900007001"), Authorization=auth
    )
    assert status == 201
    location, etag = headers["Location"], headers["ETag"]
    cleanup.append(location)

    def put(index: int) -> Reply:
        body = number("+5584900007001", amount=f"1.{index:02d}")
        return call(live_server, "PUT", location, body, Authorization=auth, **{"If-Match": etag})

    replies = race(put)
    assert Counter(status for status, _h, _b in replies) == {200: 1, 412: CLIENTS - 1}
    winner = next(body for status, _h, body in replies if status == 200)
    stored = call(live_server, "GET", location)
    assert stored[2]["monthlyPrice"] == winner["monthlyPrice"]
    assert stored[1]["ETag"] != etag
    for status, headers, body in replies:
        if status == 412:  # each loser is told the ETag it lost to, not the one it sent
            assert headers["Content-Type"] == "application/problem+json"
            assert stored[1]["ETag"] in body["detail"], body["detail"]


def test_twenty_posts_of_one_number_one_201_the_rest_409_one_row(
    live_server: LiveServer, token: str, cleanup: list[str]
) -> None:
    value = "+5584900007002"
    replies = race(
        lambda _i: call(
            live_server, "POST", "/api/v2/numbers", number(value), Authorization=f"Bearer {token}"
        )
    )
    statuses = Counter(status for status, _h, _b in replies)
    cleanup.extend(h["Location"] for status, h, _b in replies if status == 201)
    assert statuses == {201: 1, 409: CLIENTS - 1}
    for status, headers, _body in replies:
        if status == 409:
            assert headers["Content-Type"] == "application/problem+json"
    engine = create_engine(live_server.env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.scalar(select(func.count()).where(PhoneNumberModel.value == value))
    finally:
        engine.dispose()
    assert rows == 1
