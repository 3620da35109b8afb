"""POST /api/v1/sensors/pubsub through the Flask client: what Pub/Sub is answered, and what is
stored (once), quarantined (once) or refused (nothing)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, select

from mosaic.sensors.models import MessageModel, QuarantineModel, ReadingModel, SensorModel
from tests.e2e.sensors_support import messages, quarantined, readings
from tests.support.sensors import PUSH, TOKEN, Signer, envelope, payload, unwrapped_headers

pytestmark = pytest.mark.e2e
WITH_TOKEN = f"{PUSH}?token={TOKEN}"


def post(client: FlaskClient, document: Any, url: str = WITH_TOKEN, **kwargs: Any) -> Any:
    return client.post(url, json=document, **kwargs)


def test_a_wrapped_message_is_stored_with_everything_it_carried(
    pusher: FlaskClient, connection: Connection
) -> None:
    response = post(pusher, envelope("m-1"))
    assert (response.status_code, response.data) == (204, b"")
    reading = connection.execute(select(ReadingModel.__table__)).mappings().one()
    assert (reading["message_id"], reading["sensor_id"], reading["dwell_time"]) == (
        "m-1",
        100013,
        2.72,
    )
    assert reading["observed_at"].isoformat() == "2022-11-08T04:00:04.317801+00:00"
    message = connection.execute(select(MessageModel.__table__)).mappings().one()
    assert message["payload"] == payload()
    assert message["attributes"] == {"key": "value"}
    assert (message["serial"], message["application"], message["type"], message["device"]) == (
        "000100000100",
        11,
        "xkgw",
        "TestDevice",
    )
    assert message["published_at"].isoformat() == "2022-11-08T04:00:05+00:00"
    assert message["subscription"] == "projects/p/subscriptions/s"


def _stored(connection: Connection, message_id: str) -> dict[str, Any]:
    reading = (
        connection.execute(
            select(ReadingModel.__table__).where(ReadingModel.message_id == message_id)
        )
        .mappings()
        .one()
    )
    message = (
        connection.execute(
            select(MessageModel.__table__).where(MessageModel.message_id == message_id)
        )
        .mappings()
        .one()
    )
    skipped = {"message_id", "received_at", "attributes"}
    return {k: v for k, v in {**reading, **message}.items() if k not in skipped}


def test_the_unwrapped_format_stores_the_same_row_as_the_wrapped_one(
    pusher: FlaskClient, connection: Connection
) -> None:
    assert post(pusher, envelope("wrapped")).status_code == 204
    response = pusher.post(
        WITH_TOKEN, data=json.dumps(payload()), headers=unwrapped_headers("unwrapped")
    )
    assert response.status_code == 204
    assert _stored(connection, "unwrapped") == _stored(connection, "wrapped")


def test_snake_case_envelopes_are_stored_too(pusher: FlaskClient, connection: Connection) -> None:
    assert post(pusher, envelope("snake", snake=True)).status_code == 204
    assert readings(connection, "snake") == 1


def test_sequential_redeliveries_leave_one_row(pusher: FlaskClient, connection: Connection) -> None:
    statuses = [post(pusher, envelope("dup")).status_code for _ in range(5)]
    unwrapped = pusher.post(
        WITH_TOKEN, data=json.dumps(payload()), headers=unwrapped_headers("dup")
    )
    assert [*statuses, unwrapped.status_code] == [204] * 6
    assert (readings(connection), messages(connection)) == (1, 1)
    count = connection.scalar(
        select(SensorModel.reading_count).where(SensorModel.sensor_id == 100013)
    )
    assert count == 1


POISON = {
    "bad-base64": {"raw_data": "%%%not-base64"},
    "not-json": {"raw_data": "bm90IGpzb24="},
    "not-an-object": {"data": [1, 2, 3]},
    "missing-field": {"data": {"v0": 100013, "Time": "2022-11-08T04:00:00"}},
    "wrong-type": {"data": payload(dwell_time="2.72")},
    "bad-time": {"data": payload(Time="08/11/2022 04:00")},
}


@pytest.mark.parametrize("kind", list(POISON))
def test_each_poison_kind_is_acknowledged_and_quarantined_once(
    pusher: FlaskClient, connection: Connection, kind: str
) -> None:
    document = envelope(f"poison-{kind}", **POISON[kind])
    answers = [post(pusher, document) for _ in range(3)]
    assert [a.status_code for a in answers] == [202] * 3
    body = answers[0].get_json()
    assert (body["status"], body["kind"], body["message_id"]) == (
        "quarantined",
        kind,
        f"poison-{kind}",
    )
    assert body["reason"]
    row = connection.execute(select(QuarantineModel.__table__)).mappings().one()
    assert (row["message_id"], row["kind"]) == (f"poison-{kind}", kind)
    assert json.loads(row["body"]) == document
    assert readings(connection) == 0


def test_poison_in_an_unwrapped_delivery_is_quarantined_with_its_headers(
    pusher: FlaskClient, connection: Connection
) -> None:
    response = pusher.post(WITH_TOKEN, data=b"v0=1", headers=unwrapped_headers("raw-poison"))
    assert (response.status_code, response.get_json()["kind"]) == (202, "not-json")
    row = connection.execute(select(QuarantineModel.__table__)).mappings().one()
    assert row["body"] == b"v0=1"
    assert row["headers"]["x-goog-pubsub-message-id"] == "raw-poison"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b"{}", b'{"subscription": "s"}', b'{"message": {"data": "e30="}}'],
)
def test_a_body_that_is_no_push_envelope_is_a_400_problem(
    pusher: FlaskClient, connection: Connection, body: bytes
) -> None:
    response = pusher.post(WITH_TOKEN, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]
    assert (readings(connection), quarantined(connection)) == (0, 0)


def test_an_oversized_body_is_a_413(pusher: FlaskClient, connection: Connection) -> None:
    big = envelope("big", payload(padding="x" * 5000))
    response = post(pusher, big)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert readings(connection) == 0


@pytest.mark.parametrize("url", [PUSH, f"{PUSH}?token=", f"{PUSH}?token=wrong"])
def test_without_the_right_token_nothing_is_stored(
    pusher: FlaskClient, connection: Connection, url: str
) -> None:
    response = post(pusher, envelope("intruder"), url=url)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert (readings(connection), quarantined(connection)) == (0, 0)


def test_a_google_oidc_token_is_accepted(
    pusher: FlaskClient, connection: Connection, signer: Signer
) -> None:
    headers = {"Authorization": f"Bearer {signer.token()}"}
    assert post(pusher, envelope("oidc"), url=PUSH, headers=headers).status_code == 204
    assert readings(connection, "oidc") == 1


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"aud": "https://other.example"}, 401),
        ({"iss": "https://issuer.example"}, 401),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, 401),
        ({"email": "other@p.iam.gserviceaccount.com"}, 403),
        ({"email_verified": False}, 403),
    ],
)
def test_bad_oidc_tokens_are_refused_and_store_nothing(
    pusher: FlaskClient, connection: Connection, signer: Signer, claims: dict, status: int
) -> None:
    headers = {"Authorization": f"Bearer {signer.token(**claims)}"}
    response = post(pusher, envelope("bad-oidc", raw_data="%%"), url=PUSH, headers=headers)
    assert response.status_code == status
    assert (readings(connection), quarantined(connection)) == (0, 0)


def test_a_token_signed_by_another_key_is_refused(
    pusher: FlaskClient, connection: Connection
) -> None:
    forger = Signer.make()
    headers = {"Authorization": f"Bearer {forger.token()}"}
    assert post(pusher, envelope("forged"), url=PUSH, headers=headers).status_code == 401
    assert readings(connection) == 0


def test_with_no_authentication_configured_pushes_are_refused(
    client: FlaskClient, connection: Connection
) -> None:
    response = post(client, envelope("open?"), url=f"{PUSH}?token={TOKEN}")
    assert response.status_code == 401
    assert "not configured" in response.get_json()["detail"]
    assert readings(connection) == 0
