"""A Pub/Sub push delivery, wrapped (the JSON envelope) or unwrapped (payload plus headers)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# What an unwrapped delivery (write_metadata) sends as headers, lower-cased.
MESSAGE_ID_HEADER = "x-goog-pubsub-message-id"
PUBLISH_TIME_HEADER = "x-goog-pubsub-publish-time"
SUBSCRIPTION_HEADER = "x-goog-pubsub-subscription-name"
MAX_MESSAGE_ID_LENGTH = 200
NUL = "\x00"  # PostgreSQL text and jsonb cannot hold it


class NotAnEnvelope(ValueError):
    """The body is no push delivery at all (no message, no messageId): a client error."""

    def __init__(self, detail: str, *, pointer: str = "#") -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer


@dataclass(frozen=True)
class PushMessage:
    """One delivery. `data` is the message data as sent: base64 text when wrapped, the raw JSON
    bytes when unwrapped. `body` and `headers` are kept to quarantine and replay it as received."""

    message_id: str
    data: bytes
    wrapped: bool
    body: bytes
    publish_time: str | None = None
    subscription: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_envelope(cls, document: Any, *, body: bytes) -> PushMessage:
        """The wrapped format: {"message": {"data", "attributes", "messageId", ...}, ...}."""
        if not isinstance(document, dict) or not isinstance(document.get("message"), dict):
            raise NotAnEnvelope(
                'Not a Pub/Sub push envelope: expected {"message": {...}, "subscription": ...}.',
                pointer="#/message",
            )
        message = document["message"]
        data = message.get("data", "")
        if not isinstance(data, str):
            raise NotAnEnvelope("message.data must be a base64 string.", pointer="#/message/data")
        return cls(
            message_id=_message_id(_twin(message, "messageId", "message_id")),
            data=data.encode(),
            wrapped=True,
            body=body,
            publish_time=_text(_twin(message, "publishTime", "publish_time"), "publishTime"),
            subscription=_text(document.get("subscription"), "subscription"),
            attributes=_attributes(message.get("attributes")),
        )

    @classmethod
    def from_unwrapped(cls, body: bytes, *, headers: Mapping[str, str]) -> PushMessage:
        """Payload unwrapping: the body is the data itself, the metadata in x-goog-pubsub-*."""
        lowered = {name.lower(): value for name, value in headers.items()}
        kept = {name: value for name, value in lowered.items() if name.startswith("x-goog-pubsub-")}
        return cls(
            message_id=_message_id(lowered.get(MESSAGE_ID_HEADER)),
            data=body,
            wrapped=False,
            body=body,
            publish_time=lowered.get(PUBLISH_TIME_HEADER),
            subscription=lowered.get(SUBSCRIPTION_HEADER),
            headers=kept,
        )

    @classmethod
    def replayed(cls, body: bytes, *, headers: Mapping[str, str]) -> PushMessage:
        """A delivery rebuilt from what the quarantine kept: the same parsing as on arrival."""
        if headers:
            return cls.from_unwrapped(body, headers=headers)
        # A wrapped body is quarantined only once it parsed as JSON.
        return cls.from_envelope(json.loads(body), body=body)


def _twin(message: dict[str, Any], camel: str, snake: str) -> Any:
    return message.get(camel) if message.get(camel) is not None else message.get(snake)


def _message_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise NotAnEnvelope(
            "The message has no messageId (message.messageId, or the "
            f"{MESSAGE_ID_HEADER} header of an unwrapped delivery).",
            pointer="#/message/messageId",
        )
    if len(value) > MAX_MESSAGE_ID_LENGTH or NUL in value:
        raise NotAnEnvelope(
            f"messageId must be at most {MAX_MESSAGE_ID_LENGTH} characters, without NUL.",
            pointer="#/message/messageId",
        )
    return value


def _text(value: Any, name: str) -> str | None:
    if value is None or (isinstance(value, str) and NUL not in value):
        return value
    raise NotAnEnvelope(f"{name} must be a string without NUL.", pointer=f"#/message/{name}")


def _attributes(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and NUL not in v + k for k, v in value.items()
    ):
        raise NotAnEnvelope(
            "message.attributes must be an object of strings (without NUL).",
            pointer="#/message/attributes",
        )
    return {str(k): v for k, v in value.items()}
