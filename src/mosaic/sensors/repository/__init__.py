"""Persistence of the sensors context: readings (with their summary and hourly rollup) and the
quarantine; the context's unit of work."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mosaic.platform.db import UnitOfWork
from mosaic.sensors.repository.quarantine import Quarantined, QuarantineRepository
from mosaic.sensors.repository.readings import ReadingRepository

__all__ = ["QuarantineRepository", "Quarantined", "ReadingRepository", "SensorsUnitOfWork"]


class SensorsUnitOfWork(UnitOfWork):
    readings: ReadingRepository
    quarantine: QuarantineRepository

    def _start(self, session: Session) -> None:
        self.readings = ReadingRepository(session)
        self.quarantine = QuarantineRepository(session)
