"""OWASP API10:2023 Unsafe Consumption of APIs.

The one third party Mosaic consumes is Google Pub/Sub, which pushes sensor messages. Its payloads
are validated like any client's: hostile data inside a well-formed envelope is quarantined once
(202) or refused (400/413), never stored as a reading and never a 500. Held by the sensors tests
and not repeated here: each poison kind, bad envelopes, oversized bodies, tokens and OIDC
(tests/e2e/test_sensors_push.py). Here: what a compromised or buggy publisher could add.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection

from tests.e2e.sensors_support import readings
from tests.support.sensors import PUSH, TOKEN, envelope, payload

pytestmark = pytest.mark.e2e
WITH_TOKEN = f"{PUSH}?token={TOKEN}"


def raw(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()


HOSTILE: dict[str, dict[str, Any]] = {
    "nul-in-a-field": {"data": payload(device="Test\u0000Device")},
    "nul-in-a-key": {"data": {**payload(), "v\u00000": 1}},
    "lone-surrogate": {"raw_data": raw('{"v0": 100013, "device": "\\udfff"}')},
    "deep-nesting": {"raw_data": raw("[" * 5000 + "]" * 5000)},
    "huge-integer": {"raw_data": raw('{"v0": ' + "9" * 5000 + "}")},
    "sensor-id-past-int8": {"data": payload(sensor_id=2**70)},
    "negative-dwell": {"data": payload(dwell_time=-1)},
    "nan-dwell": {"raw_data": raw(json.dumps(payload()).replace("2.72", "NaN"))},
    "infinite-dwell": {"raw_data": raw(json.dumps(payload()).replace("2.72", "1e999"))},
    "year-0": {"data": payload(Time="0000-01-01T00:00:00")},
    "not-base64": {"raw_data": "%%%not base64%%%"},
    "not-utf8": {"raw_data": base64.b64encode(b"\xff\xfe{}").decode()},
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_api10_hostile_data_in_a_push_is_never_stored_nor_a_500(
    pusher: FlaskClient, connection: Connection, kind: str
) -> None:
    document = envelope(f"hostile-{kind}", **HOSTILE[kind])
    response = pusher.post(WITH_TOKEN, json=document)
    assert response.status_code in {202, 400, 413, 422}, response.get_data(as_text=True)
    assert response.mimetype in {"application/json", "application/problem+json"}
    assert readings(connection) == 0


@pytest.mark.parametrize("message_id", ["x" * 10_000, "id\u0000nul", "", " ", "../../etc/passwd"])
def test_api10_a_hostile_message_id_is_refused_or_kept_verbatim_never_a_500(
    pusher: FlaskClient, message_id: str
) -> None:
    response = pusher.post(WITH_TOKEN, json=envelope(message_id))
    assert response.status_code in {202, 204, 400, 413, 422}, response.get_data(as_text=True)
