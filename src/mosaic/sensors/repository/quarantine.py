"""The quarantine of poison messages: kept once per messageId, listed, replayed, deleted."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from mosaic.sensors.domain.push import PushMessage
from mosaic.sensors.domain.reading import PoisonMessage
from mosaic.sensors.models import QuarantineModel


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
