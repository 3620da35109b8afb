"""A sensor's series: the raw readings (as arrays, for downsampling) or aggregated buckets."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Select, func, select

from mosaic.sensors.domain.series import BUCKET_ORIGIN, Aggregate, Window
from mosaic.sensors.models import ReadingModel

R = ReadingModel
S = TypeVar("S", bound=Select[*tuple[Any, ...]])
POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
COPY_HEADER = 19  # signature (11), flags (4), header extension length (4)
# One row of COPY BINARY for (timestamptz, float8): field count, then length + value of each.
ROW = np.dtype([("n", ">i2"), ("tl", ">i4"), ("t", ">i8"), ("vl", ">i4"), ("v", ">f8")])
AGGREGATES: dict[Aggregate, Any] = {
    Aggregate.AVG: func.avg(R.dwell_time),
    Aggregate.MIN: func.min(R.dwell_time),
    Aggregate.MAX: func.max(R.dwell_time),
    Aggregate.COUNT: func.count(),
    Aggregate.P50: func.percentile_cont(0.5).within_group(R.dwell_time),
    Aggregate.P95: func.percentile_cont(0.95).within_group(R.dwell_time),
}


SORT_MEMORY = "64MB"  # percentiles sort a window's values: in memory rather than on disk


def roomy_sorts() -> Select[Any]:
    """For the rest of this read's transaction, sorts of up to SORT_MEMORY stay in memory."""
    return select(func.set_config("work_mem", SORT_MEMORY, True))


def _in_window(statement: S, sensor_id: int, window: Window) -> S:
    return statement.where(
        R.sensor_id == sensor_id, R.observed_at >= window.start, R.observed_at < window.end
    )


def raw(
    connection: Connection, sensor_id: int, window: Window, *, limit: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Times (µs since 2000-01-01 UTC) and dwell times in time order, at most `limit` of them.

    Read with COPY ... TO STDOUT (FORMAT binary) into numpy: a million readings arrive in a
    fraction of the time a million Python row tuples would take.
    """
    statement = _in_window(select(R.observed_at, R.dwell_time), sensor_id, window)
    statement = statement.order_by(R.observed_at).limit(limit)
    compiled = statement.compile(dialect=connection.dialect)
    buffer = io.BytesIO()
    cursor = connection.connection.cursor()
    try:
        query = cursor.mogrify(str(compiled), compiled.params).decode()  # bound by psycopg2
        cursor.copy_expert(f"COPY ({query}) TO STDOUT (FORMAT binary)", buffer)
    finally:
        cursor.close()
    data = buffer.getbuffer()
    rows = np.frombuffer(
        data, dtype=ROW, count=(len(data) - COPY_HEADER - 2) // ROW.itemsize, offset=COPY_HEADER
    )
    return rows["t"].astype(np.int64), rows["v"].astype(np.float64)


def to_datetime(micros: int) -> datetime:
    return POSTGRES_EPOCH + timedelta(microseconds=int(micros))


def to_micros(moment: datetime) -> int:
    """Microseconds since 2000-01-01 UTC, as COPY BINARY sends a timestamptz."""
    return (moment - POSTGRES_EPOCH) // timedelta(microseconds=1)


def bucketed(
    connection: Connection,
    sensor_id: int,
    window: Window,
    *,
    width: timedelta,
    aggregate: Aggregate,
) -> list[tuple[datetime, float | None]]:
    """One value per bucket of `width` over the window; an empty bucket's value is None
    (0 for count), so a chart shows the gap."""
    bucket = func.date_bin(width, R.observed_at, BUCKET_ORIGIN).label("bucket")
    statement = _in_window(
        select(bucket, AGGREGATES[aggregate].label("value")), sensor_id, window
    ).group_by(bucket)
    connection.execute(roomy_sorts())
    found = {row.bucket: row.value for row in connection.execute(statement)}
    empty = 0 if aggregate is Aggregate.COUNT else None
    return [
        (start, float(found[start]) if start in found else empty) for start in window.buckets(width)
    ]
