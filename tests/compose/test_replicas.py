"""Two API replicas behind nginx share one state: the database, Redis and the JWT key."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid

from tests.compose.stack import Stack, docker, http, http_in, inspect, request_ids_served
from tests.compose.test_prod_stack import EDITOR, PASSWORD, create_editor, port


def number_body() -> dict[str, str]:
    value = f"+351 21 {uuid.uuid4().int % 10**7:07d}"
    return {"value": value, "monthyPrice": "0.05", "setupPrice": "1.00", "currency": "U$"}


def wait_for_lock(stack: Stack) -> None:
    query = (
        "SELECT count(*) FROM pg_locks WHERE relation = 'phone_number'::regclass "
        "AND mode = 'AccessExclusiveLock' AND granted"
    )
    for _ in range(50):
        held = stack.compose(
            "exec", "-T", "db", "psql", "-U", "mosaic", "-d", "mosaic", "-tAc", query
        )
        if held.strip() == "1":
            return
        time.sleep(0.2)
    raise AssertionError("the lock was not taken")


def test_nginx_spreads_requests_over_both_replicas(prod_stack: Stack) -> None:
    replicas = prod_stack.containers("api")
    assert len(replicas) == 2
    sent = [f"spread-{uuid.uuid4().hex}" for _ in range(20)]
    for request_id in sent:
        reply = http(port(prod_stack), "GET", "/version", headers={"X-Request-ID": request_id})
        assert reply.status == 200
    served = [request_ids_served(container) & set(sent) for container in replicas]
    assert all(served), [len(ids) for ids in served]
    assert served[0] | served[1] == set(sent)


def test_a_write_on_one_replica_is_read_on_the_other_within_the_bound(prod_stack: Stack) -> None:
    """The revision reaches the other replica's workers by LISTEN/NOTIFY: within
    REVISION_PUSH_LIVENESS_MS (1 s) at worst, under a millisecond as measured."""
    one, other = prod_stack.containers("api")
    create_editor(prod_stack)
    token = http_in(
        one, "POST", "/api/v1/auth/token", body={"username": EDITOR, "password": PASSWORD}
    )
    assert token.status == 200, token.body
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    listing = "/api/v1/numbers?per_page=1&sort=-id"
    before = http_in(other, "GET", listing)  # cached on `other` (and in Redis) now
    assert before.status == 200
    created = http_in(one, "POST", "/api/v1/numbers", body=number_body(), headers=headers)
    assert created.status == 201, created.body
    deadline = time.monotonic() + 1.0  # REVISION_PUSH_LIVENESS_MS
    after = http_in(other, "GET", listing)
    while after.json()[0]["id"] != created.json()["id"] and time.monotonic() < deadline:
        after = http_in(other, "GET", listing)
    assert after.status == 200
    assert int(after.headers["X-Total-Count"]) == int(before.headers["X-Total-Count"]) + 1
    assert after.json()[0]["id"] == created.json()["id"]


def test_a_token_from_one_replica_works_on_the_other_until_logout(prod_stack: Stack) -> None:
    one, other = prod_stack.containers("api")
    create_editor(prod_stack)
    token = http_in(
        one, "POST", "/api/v1/auth/token", body={"username": EDITOR, "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    accepted = http_in(other, "POST", "/api/v1/numbers", body=number_body(), headers=headers)
    assert accepted.status == 201, accepted.body

    assert http_in(one, "POST", "/api/v1/auth/logout", headers=headers).status == 204
    for replica in (one, other):
        refused = http_in(replica, "POST", "/api/v1/numbers", body=number_body(), headers=headers)
        assert refused.status == 401, refused.body
        assert "revoked" in refused.json()["detail"]


def test_rate_limits_are_shared_by_the_replicas(prod_stack: Stack) -> None:
    """LOGIN_RATE_LIMIT (5 failed logins a minute per client): counted once for the stack,
    not once per replica or worker, so the sixth failure is refused wherever it lands."""
    replicas = prod_stack.containers("api")
    wrong = {"username": "compose-check-nobody", "password": "wrong-password"}
    sent, statuses = [], []
    for _ in range(8):
        request_id = f"limit-{uuid.uuid4().hex}"
        sent.append(request_id)
        reply = http(
            port(prod_stack), "POST", "/api/v1/auth/token", body=wrong,
            headers={"X-Request-ID": request_id},
        )  # fmt: skip
        statuses.append(reply.status)
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429] * 3
    served = [request_ids_served(container) & set(sent[:6]) for container in replicas]
    assert all(served), "the failures should have landed on both replicas"


def test_sigterm_lets_in_flight_requests_finish_while_nginx_moves_on(prod_stack: Stack) -> None:
    """Reads held behind a table lock are in flight on both replicas when one gets SIGTERM
    (`docker stop`): they complete with 200, and new requests meanwhile go to the other."""
    one, other = prod_stack.containers("api")
    hold_lock = (
        "BEGIN; LOCK TABLE phone_number IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;"
    )
    holder = subprocess.Popen(
        [*prod_stack.command(), "exec", "-T", "db", "psql", "-U", "mosaic", "-d", "mosaic", "-c",
         hold_lock],
        cwd=prod_stack.root, env=prod_stack.environment(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_lock(prod_stack)
        in_flight: dict[str, int] = {}
        ids = [f"inflight-{uuid.uuid4().hex}" for _ in range(6)]
        threads = [
            threading.Thread(target=lambda i=i, rid=rid: in_flight.__setitem__(rid, http(
                port(prod_stack), "GET", f"/api/v1/numbers?per_page={40 + i}",
                headers={"X-Request-ID": rid}).status))
            for i, rid in enumerate(ids)
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        stopper = threading.Thread(target=lambda: docker("stop", one, timeout=60))
        stopper.start()
        time.sleep(1)
        meanwhile = [f"meanwhile-{uuid.uuid4().hex}" for _ in range(10)]
        statuses = [
            http(port(prod_stack), "GET", "/version", headers={"X-Request-ID": rid}).status
            for rid in meanwhile
        ]
        for thread in [*threads, stopper]:
            thread.join(timeout=60)
        assert statuses == [200] * len(meanwhile)
        assert sorted(in_flight.values()) == [200] * len(ids)
        assert request_ids_served(one) & set(ids), "no in-flight request was on the stopped one"
        assert set(meanwhile) <= request_ids_served(other)
        assert inspect(one, "{{.State.ExitCode}}") == "0"
    finally:
        holder.wait(timeout=60)
        docker("start", one)
