"""A reading of a sensor, decoded from a message's data, and the poison a message can carry."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from mosaic.sensors.domain.push import PushMessage

SENSOR_ID, DWELL_TIME, TIME = "v0", "v18", "Time"
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_SENSOR_ID = 2**63 - 1
MAX_APPLICATION = 2**31 - 1


class Poison(StrEnum):
    """Why a message can never be stored, however often Pub/Sub redelivers it."""

    BAD_BASE64 = "bad-base64"
    NOT_JSON = "not-json"
    NOT_AN_OBJECT = "not-an-object"
    MISSING_FIELD = "missing-field"
    WRONG_TYPE = "wrong-type"
    BAD_TIME = "bad-time"


class PoisonMessage(ValueError):
    def __init__(self, kind: Poison, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Reading:
    """What a sensor observed: dwell time (seconds) at `observed_at`, plus all it sent."""

    message_id: str
    sensor_id: int
    observed_at: datetime
    dwell_time: float
    published_at: datetime | None = None
    serial: str | None = None
    application: int | None = None
    device: str | None = None
    type: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    subscription: str | None = None


def parse_time(text: Any, *, name: str = TIME) -> datetime:
    """ISO 8601; a naive time is UTC. Years before 2000 are refused (a sensor's reset clock)."""
    if not isinstance(text, str):
        raise PoisonMessage(Poison.WRONG_TYPE, f"{name} must be an ISO 8601 string.")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as error:
        raise PoisonMessage(
            Poison.BAD_TIME, f"{name} is not an ISO 8601 time: {text!r}."
        ) from error
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment < EARLIEST:
        raise PoisonMessage(Poison.BAD_TIME, f"{name} is before {EARLIEST.date()}: {text!r}.")
    return moment


def decode(message: PushMessage) -> Reading:
    """The reading a message carries, or PoisonMessage saying why there is none."""
    payload = _payload(message)
    return Reading(
        message_id=message.message_id,
        sensor_id=_sensor_id(payload),
        observed_at=parse_time(_required(payload, TIME)),
        dwell_time=_dwell_time(payload),
        published_at=_published_at(message.publish_time),
        serial=_optional(payload, "serial", str),
        application=_application(payload),
        device=_optional(payload, "device", str),
        type=_optional(payload, "Type", str),
        payload=payload,
        attributes=message.attributes,
        subscription=message.subscription,
    )


def _payload(message: PushMessage) -> dict[str, Any]:
    raw = message.data
    if message.wrapped:
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as error:
            raise PoisonMessage(Poison.BAD_BASE64, "message.data is not valid base64.") from error
    try:
        document = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except (UnicodeDecodeError, ValueError) as error:
        raise PoisonMessage(Poison.NOT_JSON, f"The data is not JSON: {error}.") from error
    if not isinstance(document, dict):
        raise PoisonMessage(Poison.NOT_AN_OBJECT, "The data is JSON but not an object.")
    if "\\u0000" in json.dumps(document):  # PostgreSQL's jsonb cannot hold it
        raise PoisonMessage(Poison.WRONG_TYPE, "The data holds a NUL character (\\u0000).")
    return document


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _required(payload: Mapping[str, Any], name: str) -> Any:
    if payload.get(name) is None:
        raise PoisonMessage(Poison.MISSING_FIELD, f"The data has no {name}.")
    return payload[name]


def _sensor_id(payload: Mapping[str, Any]) -> int:
    value = _required(payload, SENSOR_ID)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SENSOR_ID:
        raise PoisonMessage(
            Poison.WRONG_TYPE, f"{SENSOR_ID} (the sensor id) must be a non-negative integer."
        )
    return value


def _dwell_time(payload: Mapping[str, Any]) -> float:
    value = _required(payload, DWELL_TIME)
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise PoisonMessage(Poison.WRONG_TYPE, f"{DWELL_TIME} (dwell time) must be a number.")
    if value < 0:
        raise PoisonMessage(Poison.WRONG_TYPE, f"{DWELL_TIME} (dwell time) cannot be negative.")
    return float(value)


def _optional(payload: Mapping[str, Any], name: str, kind: type) -> Any:
    value = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PoisonMessage(Poison.WRONG_TYPE, f"{name} must be a {kind.__name__}.")
    return value


def _application(payload: Mapping[str, Any]) -> int | None:
    value = _optional(payload, "application", int)
    if value is not None and not 0 <= value <= MAX_APPLICATION:
        raise PoisonMessage(Poison.WRONG_TYPE, f"application must be from 0 to {MAX_APPLICATION}.")
    return value  # type: ignore[no-any-return]


def _published_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text, name="publishTime")
    except PoisonMessage:
        return None  # Pub/Sub's own metadata: a bad one never hides the reading
