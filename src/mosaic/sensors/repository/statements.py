"""The statements ingestion runs, built once with bound parameters (SQLAlchemy compiles each
once): a push is one round trip, with the reading, its message, its sensor's summary row and its
hour of the rollup as data-modifying CTEs. And the rebuilds of the summary and the rollup."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import BigInteger, bindparam, case, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by, insert

from mosaic.sensors.domain.reading import Reading
from mosaic.sensors.domain.series import BUCKET_ORIGIN
from mosaic.sensors.models import HourlyModel, MessageModel, ReadingModel, SensorModel

HOUR = timedelta(hours=1)
H, R, S = HourlyModel, ReadingModel, SensorModel
READING_COLUMNS = ("message_id", "observed_at", "sensor_id", "dwell_time")
MESSAGE_COLUMNS = (
    *("message_id", "observed_at", "sensor_id", "published_at", "serial", "application"),
    *("device", "type", "subscription", "attributes", "payload"),
)
SENSOR_COLUMNS = ["sensor_id", "first_observed_at", "last_observed_at", "reading_count"]
HOURLY_COLUMNS = [
    *("sensor_id", "hour_at", "reading_count", "dwell_sum"),
    *("dwell_min", "min_at", "dwell_max", "max_at"),
]


def parameters(reading: Reading) -> dict[str, Any]:
    """The bound parameters of STORE for one reading."""
    found = {name: getattr(reading, name) for name in MESSAGE_COLUMNS}
    found |= {"dwell_time": reading.dwell_time, "attributes": dict(reading.attributes)}
    return found | {"payload": dict(reading.payload)}


def _counted(stored: Any) -> Any:
    """The sensor's summary row: first and last observation, one more reading."""
    statement = insert(S).from_select(
        SENSOR_COLUMNS,
        select(stored.c.sensor_id, stored.c.observed_at, stored.c.observed_at, literal(1)),
    )
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[S.sensor_id],
        set_={
            "first_observed_at": func.least(S.first_observed_at, new.first_observed_at),
            "last_observed_at": func.greatest(S.last_observed_at, new.last_observed_at),
            "reading_count": S.reading_count + new.reading_count,
        },
    ).cte("counted")


def _hourly(stored: Any) -> Any:
    """The reading's hour in the rollup: count and sum grow, extremes move with their times."""
    hour = func.date_bin(HOUR, stored.c.observed_at, BUCKET_ORIGIN)
    value, moment = stored.c.dwell_time, stored.c.observed_at
    statement = insert(H).from_select(
        HOURLY_COLUMNS,
        select(
            stored.c.sensor_id, hour, literal(1, BigInteger), value, value, moment, value, moment
        ),
    )
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[H.sensor_id, H.hour_at],
        set_={
            "reading_count": H.reading_count + new.reading_count,
            "dwell_sum": H.dwell_sum + new.dwell_sum,
            "dwell_min": func.least(H.dwell_min, new.dwell_min),
            "min_at": case((new.dwell_min < H.dwell_min, new.min_at), else_=H.min_at),
            "dwell_max": func.greatest(H.dwell_max, new.dwell_max),
            "max_at": case((new.dwell_max > H.dwell_max, new.max_at), else_=H.max_at),
        },
    ).cte("hourly")


def _store() -> Any:
    """The reading (ON CONFLICT DO NOTHING), its message (likewise) and, only when the reading
    was new, its sensor's row and its hour: the messageId when stored, nothing for a redelivery."""
    reading: dict[str, Any] = {name: bindparam(name) for name in READING_COLUMNS}
    message: dict[str, Any] = {name: bindparam(name) for name in MESSAGE_COLUMNS}
    message |= {"attributes": bindparam("attributes", type_=JSONB)}
    message |= {"payload": bindparam("payload", type_=JSONB)}
    stored = (
        insert(R)
        .values(**reading)
        .on_conflict_do_nothing()
        .returning(R.message_id, R.sensor_id, R.observed_at, R.dwell_time)
        .cte("stored")
    )
    kept = insert(MessageModel).values(**message).on_conflict_do_nothing().cte("kept")
    return select(stored.c.message_id).add_cte(kept, _counted(stored), _hourly(stored))


STORE = _store()


def rebuilt_sensors() -> Any:
    per_sensor = select(R.sensor_id, func.min(R.observed_at), func.max(R.observed_at), func.count())
    return insert(S).from_select(SENSOR_COLUMNS, per_sensor.group_by(R.sensor_id))


def rebuilt_hourly() -> Any:
    hour = func.date_bin(HOUR, R.observed_at, BUCKET_ORIGIN)
    # The time of the lowest and of the highest reading: the first of the hour's times in order.
    lowest = func.array_agg(  # pylint: disable=assignment-from-no-return
        aggregate_order_by(R.observed_at, R.dwell_time.asc(), R.observed_at)
    )
    highest = func.array_agg(  # pylint: disable=assignment-from-no-return
        aggregate_order_by(R.observed_at, R.dwell_time.desc(), R.observed_at)
    )
    per_hour = select(
        R.sensor_id,
        hour,
        func.count(),
        func.sum(R.dwell_time),
        func.min(R.dwell_time),
        lowest[1],
        func.max(R.dwell_time),
        highest[1],
    ).group_by(R.sensor_id, hour)
    return insert(H).from_select(HOURLY_COLUMNS, per_hour)
