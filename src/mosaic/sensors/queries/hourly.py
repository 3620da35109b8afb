"""The hourly rollup of a sensor's readings (kept exact by ingestion): long windows read one row
per hour instead of every reading. The hours a window covers only in part are read raw, so
bucketed figures stay exact and downsampling still sees the extreme readings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, func, select

from mosaic.sensors.domain.series import BUCKET_ORIGIN, Aggregate, Window
from mosaic.sensors.models import HourlyModel, ReadingModel
from mosaic.sensors.queries import series

H, R = HourlyModel, ReadingModel
HOUR = timedelta(hours=1)
ROLLED_UP = {Aggregate.AVG, Aggregate.MIN, Aggregate.MAX, Aggregate.COUNT}


@dataclass
class Part:
    """What a bucket holds so far: enough to merge hours and raw edges exactly."""

    count: int
    total: float
    low: float
    high: float

    def merge(self, other: Part) -> Part:
        return Part(
            self.count + other.count,
            self.total + other.total,
            min(self.low, other.low),
            max(self.high, other.high),
        )

    def value(self, aggregate: Aggregate) -> float:
        figures = {
            Aggregate.AVG: self.total / self.count,
            Aggregate.MIN: self.low,
            Aggregate.MAX: self.high,
            Aggregate.COUNT: float(self.count),
        }
        return figures[aggregate]


def split(window: Window) -> tuple[Window | None, list[Window]]:
    """The window's whole hours, and the parts of hours at its ends."""
    first = BUCKET_ORIGIN + -((BUCKET_ORIGIN - window.start) // HOUR) * HOUR  # ceiling
    last = BUCKET_ORIGIN + ((window.end - BUCKET_ORIGIN) // HOUR) * HOUR  # floor
    if first >= last:
        return None, [window]
    edges = [Window(window.start, first), Window(last, window.end)]
    return Window(first, last), [edge for edge in edges if edge.start < edge.end]


def _hours(sensor_id: int, hours: Window) -> Any:
    return (H.sensor_id == sensor_id, H.hour_at >= hours.start, H.hour_at < hours.end)


def count(connection: Connection, sensor_id: int, window: Window) -> int:
    """Readings in the window's whole hours (an index range of one row per hour)."""
    hours, _ = split(window)
    if hours is None:
        return 0
    found = connection.scalar(select(func.sum(H.reading_count)).where(*_hours(sensor_id, hours)))
    return int(found or 0)


def _per_bucket(sensor_id: int, window: Window, width: timedelta, *, rolled_up: bool) -> Any:
    """count, sum, min, max per bucket: from the rollup's hours, or from the readings."""
    figures: tuple[Any, ...]
    where: tuple[Any, ...]
    if rolled_up:
        bucket = func.date_bin(width, H.hour_at, BUCKET_ORIGIN).label("bucket")
        figures = (func.sum(H.reading_count), func.sum(H.dwell_sum))
        figures += (func.min(H.dwell_min), func.max(H.dwell_max))
        where = _hours(sensor_id, window)
    else:
        bucket = func.date_bin(width, R.observed_at, BUCKET_ORIGIN).label("bucket")
        figures = (func.count(), func.sum(R.dwell_time))
        figures += (func.min(R.dwell_time), func.max(R.dwell_time))
        where = (R.sensor_id == sensor_id, R.observed_at >= window.start)
        where += (R.observed_at < window.end,)
    return select(bucket, *figures).where(*where).group_by(bucket)


def parts(
    connection: Connection, sensor_id: int, window: Window, *, width: timedelta
) -> dict[datetime, Part]:
    """Per bucket of `width` (a whole number of hours): count, sum, min and max."""
    hours, edges = split(window)
    statements = [_per_bucket(sensor_id, edge, width, rolled_up=False) for edge in edges]
    if hours is not None:
        statements.append(_per_bucket(sensor_id, hours, width, rolled_up=True))
    found: dict[datetime, Part] = {}
    for statement in statements:
        for start, number, total, low, high in connection.execute(statement):
            part = Part(int(number), float(total), float(low), float(high))
            found[start] = found[start].merge(part) if start in found else part
    return found


def extremes(
    connection: Connection, sensor_id: int, window: Window
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Each whole hour's lowest and highest reading (with their times) and every reading of the
    partial hours at the ends, in time order: the MinMax preselection, from the rollup."""
    hours, edges = split(window)
    pieces = [series.raw(connection, sensor_id, edge, limit=10**7) for edge in edges]
    if hours is not None:
        pieces.append(_hour_extremes(connection, sensor_id, hours))
    times = np.concatenate([piece[0] for piece in pieces])
    values = np.concatenate([piece[1] for piece in pieces])
    unique, first = np.unique(times, return_index=True)  # sorted; min_at may be max_at
    return unique, values[first]


def _hour_extremes(
    connection: Connection, sensor_id: int, hours: Window
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    rows = connection.execute(
        select(H.min_at, H.dwell_min, H.max_at, H.dwell_max).where(*_hours(sensor_id, hours))
    ).all()
    times = [series.to_micros(moment) for row in rows for moment in (row[0], row[2])]
    values = [value for row in rows for value in (row[1], row[3])]
    return np.array(times, dtype=np.int64), np.array(values, dtype=np.float64)
