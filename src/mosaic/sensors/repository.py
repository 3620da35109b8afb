"""Persistence of readings and quarantined messages; maps the models <-> domain entities.

Writes are single `INSERT ... ON CONFLICT DO NOTHING` statements: a redelivery, even one racing
its twin, stores nothing and is told so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from mosaic.platform.db import UnitOfWork
from mosaic.sensors.domain.push import PushMessage
from mosaic.sensors.domain.reading import PoisonMessage, Reading
from mosaic.sensors.models import MessageModel, QuarantineModel, ReadingModel, SensorModel


@dataclass(frozen=True)
class Quarantined:
    """A poison message as kept: its reason and the delivery as received."""

    id: int
    message_id: str
    kind: str
    reason: str
    body: bytes
    headers: Mapping[str, str]
    received_at: datetime

    def message(self) -> PushMessage:
        return PushMessage.replayed(self.body, headers=self.headers)


def _quarantined(model: QuarantineModel) -> Quarantined:
    return Quarantined(
        id=model.id,
        message_id=model.message_id,
        kind=model.kind,
        reason=model.reason,
        body=model.body,
        headers=dict(model.headers),
        received_at=model.received_at,
    )


def _reading_columns(reading: Reading) -> dict[str, Any]:
    return {
        "message_id": reading.message_id,
        "observed_at": reading.observed_at,
        "sensor_id": reading.sensor_id,
        "dwell_time": reading.dwell_time,
    }


def _message_columns(reading: Reading) -> dict[str, Any]:
    return {
        "message_id": reading.message_id,
        "observed_at": reading.observed_at,
        "sensor_id": reading.sensor_id,
        "published_at": reading.published_at,
        "serial": reading.serial,
        "application": reading.application,
        "device": reading.device,
        "type": reading.type,
        "subscription": reading.subscription,
        "attributes": dict(reading.attributes),
        "payload": dict(reading.payload),
    }


READING_COLUMNS = ("message_id", "observed_at", "sensor_id", "dwell_time")
MESSAGE_COLUMNS = (
    *("message_id", "observed_at", "sensor_id", "published_at", "serial", "application"),
    *("device", "type", "subscription", "attributes", "payload"),
)


def _key(reading: Reading) -> str:
    return reading.message_id


def _counted(stored: Any) -> Any:
    """Each sensor's row (first and last observation, number of readings) kept up to date with
    the readings `stored` inserted, in sensor order."""
    per_sensor = (
        select(
            stored.c.sensor_id,
            func.min(stored.c.observed_at),
            func.max(stored.c.observed_at),
            func.count(),
        )
        .group_by(stored.c.sensor_id)
        .order_by(stored.c.sensor_id)
    )
    statement = insert(SensorModel).from_select(
        ["sensor_id", "first_observed_at", "last_observed_at", "reading_count"], per_sensor
    )
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[SensorModel.sensor_id],
        set_={
            "first_observed_at": func.least(SensorModel.first_observed_at, new.first_observed_at),
            "last_observed_at": func.greatest(SensorModel.last_observed_at, new.last_observed_at),
            "reading_count": SensorModel.reading_count + new.reading_count,
        },
    ).cte("counted")


def _store_statement() -> Any:
    """One round trip per reading: the reading (ON CONFLICT DO NOTHING), its message (likewise)
    and, when the reading was new, its sensor's summary row, as data-modifying CTEs. Built once
    with bound parameters, so SQLAlchemy compiles it once."""
    reading: dict[str, Any] = {name: bindparam(name) for name in READING_COLUMNS}
    message: dict[str, Any] = {name: bindparam(name) for name in MESSAGE_COLUMNS}
    message["attributes"] = bindparam("attributes", type_=JSONB)
    message["payload"] = bindparam("payload", type_=JSONB)
    stored = (
        insert(ReadingModel)
        .values(**reading)
        .on_conflict_do_nothing()
        .returning(ReadingModel.message_id, ReadingModel.sensor_id, ReadingModel.observed_at)
        .cte("stored")
    )
    kept = insert(MessageModel).values(**message).on_conflict_do_nothing().cte("kept")
    return select(stored.c.message_id).add_cte(kept).add_cte(_counted(stored))


STORE = _store_statement()


class ReadingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, reading: Reading) -> bool:
        """Store the reading; False when its message was stored before (a redelivery)."""
        return bool(self.add_many([reading]))

    def add_many(self, readings: Sequence[Reading]) -> set[str]:
        """Store the readings whose messages are new; the messageIds of those stored.

        One statement per reading, compiled once (STORE), in messageId order so concurrent
        batches take their locks in the same order.
        """
        stored: set[str] = set()
        for reading in sorted(readings, key=_key):
            found = self.session.scalar(
                STORE, {**_message_columns(reading), **_reading_columns(reading)}
            )
            if found is not None:
                stored.add(found)
        return stored

    def recount(self) -> None:
        """Rebuild the sensor summary from the readings (after retention dropped some)."""
        reading = ReadingModel
        self.session.execute(delete(SensorModel))
        self.session.execute(
            insert(SensorModel).from_select(
                ["sensor_id", "first_observed_at", "last_observed_at", "reading_count"],
                select(
                    reading.sensor_id,
                    func.min(reading.observed_at),
                    func.max(reading.observed_at),
                    func.count(),
                ).group_by(reading.sensor_id),
            )
        )


class QuarantineRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: PushMessage, poison: PoisonMessage) -> bool:
        """Keep the message once per messageId; False when it is kept already."""
        kept = self.session.execute(
            insert(QuarantineModel)
            .values(
                message_id=message.message_id,
                kind=poison.kind.value,
                reason=poison.detail,
                body=message.body,
                headers=dict(message.headers),
            )
            .on_conflict_do_nothing(index_elements=[QuarantineModel.message_id])
            .returning(QuarantineModel.id)
        ).first()
        return kept is not None

    def list(self, *, after_id: int = 0, limit: int = 100) -> list[Quarantined]:
        statement = (
            select(QuarantineModel)
            .where(QuarantineModel.id > after_id)
            .order_by(QuarantineModel.id)
            .limit(limit)
        )
        return [_quarantined(model) for model in self.session.scalars(statement)]

    def each(self, *, batch: int = 500) -> Iterator[Quarantined]:
        after_id = 0
        while found := self.list(after_id=after_id, limit=batch):
            yield from found
            after_id = found[-1].id

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(QuarantineModel)) or 0)

    def delete(self, quarantined_id: int) -> None:
        self.session.execute(delete(QuarantineModel).where(QuarantineModel.id == quarantined_id))


class SensorsUnitOfWork(UnitOfWork):
    readings: ReadingRepository
    quarantine: QuarantineRepository

    def _start(self, session: Session) -> None:
        self.readings = ReadingRepository(session)
        self.quarantine = QuarantineRepository(session)
