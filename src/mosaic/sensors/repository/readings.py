"""Readings: stored once per message (one prepared statement each), and the summary and the
hourly rollup rebuilt from them after retention dropped months."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from mosaic.sensors.domain.reading import Reading
from mosaic.sensors.models import HourlyModel, SensorModel
from mosaic.sensors.repository import statements


class ReadingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, reading: Reading) -> bool:
        """Store the reading; False when its message was stored before (a redelivery)."""
        return bool(self.add_many([reading]))

    def add_many(self, readings: Sequence[Reading]) -> set[str]:
        """Store the readings whose messages are new; the messageIds of those stored.

        In messageId order, so concurrent batches take their locks in the same order.
        """
        stored: set[str] = set()
        for reading in sorted(readings, key=lambda r: r.message_id):
            found = self.session.scalar(statements.STORE, statements.parameters(reading))
            if found is not None:
                stored.add(found)
        return stored

    def recount(self, *, rollup_before: datetime | None = None) -> None:
        """Rebuild the sensor summary from the readings and drop the rollup's hours before
        `rollup_before` (after retention dropped those months)."""
        self.session.execute(delete(SensorModel))
        self.session.execute(statements.rebuilt_sensors())
        if rollup_before is not None:
            self.session.execute(delete(HourlyModel).where(HourlyModel.hour_at < rollup_before))

    def rebuild_rollup(self) -> None:
        """The hourly rollup from scratch (after readings were loaded around ingestion)."""
        self.session.execute(delete(HourlyModel))
        self.session.execute(statements.rebuilt_hourly())
