"""The read side's use cases: the sensor list, a sensor's series for a line chart, the KPIs."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection
from tsdownsample import MinMaxLTTBDownsampler

from mosaic.platform.errors import BadRequest, NotFound
from mosaic.sensors.domain.series import Aggregate, InvalidSeries, SeriesRequest, Window
from mosaic.sensors.queries import hourly
from mosaic.sensors.queries import kpis as kpi_queries
from mosaic.sensors.queries import sensors as sensor_queries
from mosaic.sensors.queries import series as series_queries

Reading = Callable[[], AbstractContextManager[Connection]]


@dataclass(frozen=True)
class Caps:
    max_days: int
    max_points: int
    max_downsampled: int  # raw readings one `points=` request may read
    rollup_above: int  # past this many readings, `points=` preselects from the hourly rollup


@dataclass(frozen=True)
class Series:
    sensor_id: int
    window: Window
    points: list[tuple[datetime, float | None]]


class SensorNotFound(NotFound):
    def __init__(self, sensor_id: int) -> None:
        super().__init__(f"No readings from sensor {sensor_id}.")


def _refused(error: InvalidSeries) -> BadRequest:
    problem = BadRequest(
        error.detail, errors=[{"parameter": error.parameter, "detail": error.detail}]
    )
    problem.slug = "invalid-parameter"
    return problem


class ReadingsService:
    def __init__(self, reading: Reading, *, caps: Caps) -> None:
        self.reading, self.caps = reading, caps

    def list_sensors(self) -> list[dict[str, Any]]:
        with self.reading() as connection:
            return sensor_queries.list_sensors(connection)

    def series(
        self, sensor_id: int, *, start: datetime | None, end: datetime | None, **options: Any
    ) -> Series:
        """Raw readings, `points` chosen by MinMaxLTTB, or `bucket`s aggregated by `aggregate`."""
        with self.reading() as connection:
            latest = sensor_queries.last_observed_at(connection, sensor_id)
            if latest is None:
                raise SensorNotFound(sensor_id)
            try:
                request = SeriesRequest(
                    sensor_id, Window.around(start, end, latest=latest), **options
                )
                request.check(max_days=self.caps.max_days, max_points=self.caps.max_points)
                points = self._points(connection, request)
            except InvalidSeries as error:
                raise _refused(error) from error
        return Series(sensor_id, request.window, points)

    def _points(
        self, connection: Connection, request: SeriesRequest
    ) -> list[tuple[datetime, float | None]]:
        if request.bucket is not None:
            return self._buckets(connection, request, width=request.bucket)
        if (
            request.points
            and hourly.count(connection, request.sensor_id, request.window) > self.caps.rollup_above
        ):
            times, values = hourly.extremes(connection, request.sensor_id, request.window)
        else:
            times, values = self._raw(connection, request)
        if request.points and len(times) > request.points:
            chosen = MinMaxLTTBDownsampler().downsample(  # type: ignore[no-untyped-call]
                times, values, n_out=request.points
            )
            times, values = times[chosen], values[chosen]
        to_time = series_queries.to_datetime
        return [
            (to_time(t), float(v)) for t, v in zip(times.tolist(), values.tolist(), strict=True)
        ]

    def _raw(
        self, connection: Connection, request: SeriesRequest
    ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        limit = self.caps.max_downsampled if request.points else self.caps.max_points
        times, values = series_queries.raw(
            connection, request.sensor_id, request.window, limit=limit + 1
        )
        if len(times) > limit:
            raise InvalidSeries(
                "points" if request.points else "to",
                f"The window holds more than {limit} readings: "
                + ("narrow it or use bucket=." if request.points else "ask for points= or bucket="),
            )
        return times, values

    @staticmethod
    def _buckets(
        connection: Connection, request: SeriesRequest, *, width: timedelta
    ) -> list[tuple[datetime, float | None]]:
        """Whole-hour buckets of avg, min, max or count come from the hourly rollup (exact);
        percentiles and shorter buckets from the readings."""
        if width % hourly.HOUR or request.aggregate not in hourly.ROLLED_UP:
            return series_queries.bucketed(
                connection,
                request.sensor_id,
                request.window,
                width=width,
                aggregate=request.aggregate,
            )
        found = hourly.parts(connection, request.sensor_id, request.window, width=width)
        empty = 0.0 if request.aggregate is Aggregate.COUNT else None
        return [
            (start, found[start].value(request.aggregate) if start in found else empty)
            for start in request.window.buckets(width)
        ]

    def kpis(
        self, *, start: datetime | None, end: datetime | None, sensor_id: int | None
    ) -> dict[str, Any]:
        """Count, mean, median, p95 and max dwell time per sensor and overall, and their
        change against the period of the same length just before."""
        with self.reading() as connection:
            latest = sensor_queries.last_observed_at(connection, sensor_id)
            if sensor_id is not None and latest is None:
                raise SensorNotFound(sensor_id)
            try:
                window = Window.around(start, end, latest=latest)
                window.check(max_days=self.caps.max_days)
            except InvalidSeries as error:
                raise _refused(error) from error
            found = kpi_queries.kpis(connection, window, sensor_id=sensor_id)
        return {"window": window, **_compared(found)}


def _compared(found: dict[str, dict[int | None, dict[str, Any]]]) -> dict[str, Any]:
    current, previous = found["current"], found["previous"]

    def figures(key: int | None) -> dict[str, Any]:
        now = current.get(key) or dict.fromkeys(kpi_queries.FIGURES)
        before = previous.get(key) or dict.fromkeys(kpi_queries.FIGURES)
        now, before = _counted(now), _counted(before)
        return {**now, "previous": before, "change": {k: _change(now[k], before[k]) for k in now}}

    sensors = sorted(k for k in current.keys() | previous.keys() if k is not None)
    return {"overall": figures(None), "sensors": [{"sensor_id": k, **figures(k)} for k in sensors]}


def _counted(figures: dict[str, Any]) -> dict[str, Any]:
    """No readings: a count of 0, the other figures null."""
    return {k: (0 if k == "count" and v is None else v) for k, v in figures.items()}


def _change(now: Any, before: Any) -> float | None:
    """Relative change (0.25 = +25 %); None without a figure before, or from zero."""
    if now is None or before is None or not before:
        return None
    return float(np.round((float(now) - float(before)) / float(before), 6))
