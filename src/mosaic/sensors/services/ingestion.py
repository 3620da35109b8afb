"""Ingestion: every push ends stored, already stored or quarantined; anything else raises so
Pub/Sub redelivers (a database outage is a 503, never an acknowledgement)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from mosaic.platform.errors import BadRequest
from mosaic.sensors.domain.push import NotAnEnvelope, PushMessage
from mosaic.sensors.domain.reading import PoisonMessage, decode
from mosaic.sensors.repository import Quarantined, SensorsUnitOfWork
from mosaic.sensors.services.push_auth import PushAuthenticator, PushCredentials


class Outcome(StrEnum):
    STORED = "stored"
    ALREADY_STORED = "already-stored"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class Receipt:
    message_id: str
    outcome: Outcome
    kind: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Delivery:
    """A push request: the body as received, how it came (wrapped or not), its credentials."""

    body: bytes
    headers: dict[str, str] | None = None  # the x-goog-pubsub-* headers of an unwrapped one
    credentials: PushCredentials = field(default_factory=PushCredentials)


class IngestionService:
    def __init__(
        self, uow: Callable[[], SensorsUnitOfWork], *, authenticator: PushAuthenticator
    ) -> None:
        self.uow = uow
        self.authenticator = authenticator

    def receive(self, delivery: Delivery) -> Receipt:
        """A push from Pub/Sub: authenticate, parse the envelope, then ingest."""
        self.authenticator.check(delivery.credentials)
        try:
            if delivery.headers is not None:
                message = PushMessage.from_unwrapped(delivery.body, headers=delivery.headers)
            else:
                message = PushMessage.from_envelope(_json(delivery.body), body=delivery.body)
        except NotAnEnvelope as error:
            raise BadRequest(
                error.detail, errors=[{"pointer": error.pointer, "detail": error.detail}]
            ) from error
        return self.ingest(message)

    def ingest(self, message: PushMessage) -> Receipt:
        """Store the message's reading once, or keep the poison once in the quarantine."""
        return self.ingest_many([message])[0]

    def ingest_many(self, messages: Sequence[PushMessage]) -> list[Receipt]:
        """`ingest` for a batch, in one transaction (seeds, replays): all kept, or nothing."""
        receipts: list[Receipt] = []
        with self.uow() as uow:
            readings = []
            for message in messages:
                try:
                    readings.append(decode(message))
                except PoisonMessage as poison:
                    uow.quarantine.add(message, poison)
                    receipts.append(
                        Receipt(message.message_id, Outcome.QUARANTINED, poison.kind, poison.detail)
                    )
            stored = uow.readings.add_many(readings)
            uow.commit()
        receipts += [
            Receipt(
                r.message_id, Outcome.STORED if r.message_id in stored else Outcome.ALREADY_STORED
            )
            for r in readings
        ]
        return receipts

    def list_quarantine(self, *, after_id: int, limit: int) -> list[Quarantined]:
        with self.uow() as uow:
            return uow.quarantine.list(after_id=after_id, limit=limit)

    def replay_quarantine(self) -> list[Receipt]:
        """Ingest every quarantined message again; those that now store leave the quarantine."""
        with self.uow() as uow:
            kept = list(uow.quarantine.each())
        return [self._replay(quarantined) for quarantined in kept]

    def recount_sensors(self, *, rollup_before: datetime | None = None) -> None:
        """After retention: the sensor summary from what is left, the rollup's old hours gone."""
        with self.uow() as uow:
            uow.readings.recount(rollup_before=rollup_before)
            uow.commit()

    def rebuild_rollup(self) -> None:
        """The hourly rollup from the readings (after a bulk load that went around ingestion)."""
        with self.uow() as uow:
            uow.readings.recount()
            uow.readings.rebuild_rollup()
            uow.commit()

    def _replay(self, quarantined: Quarantined) -> Receipt:
        message = quarantined.message()
        try:
            reading = decode(message)
        except PoisonMessage as poison:
            return Receipt(message.message_id, Outcome.QUARANTINED, poison.kind, poison.detail)
        with self.uow() as uow:
            stored = uow.readings.add(reading)
            uow.quarantine.delete(quarantined.id)
            uow.commit()
        return Receipt(message.message_id, Outcome.STORED if stored else Outcome.ALREADY_STORED)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise NotAnEnvelope(f"The body is not a JSON push envelope: {error}.") from error
