"""What a chart asks for: a time window, buckets and an aggregate, or a number of points."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

BUCKET_TEXT = re.compile(r"^([1-9][0-9]{0,5})(s|m|h|d|w)$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
BUCKET_ORIGIN = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday at midnight: weeks start on Mondays
DEFAULT_SPAN = timedelta(days=1)


class InvalidSeries(ValueError):
    """A request the caps or the rules refuse; `parameter` names the query parameter."""

    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


class Aggregate(StrEnum):
    AVG = "avg"
    MIN = "min"
    MAX = "max"
    COUNT = "count"
    P50 = "p50"
    P95 = "p95"


def parse_bucket(text: str) -> timedelta:
    """`5m`, `1h`, `1d`, `1w`: a count and a unit (s, m, h, d, w)."""
    found = BUCKET_TEXT.match(text)
    if not found:
        raise InvalidSeries(
            "bucket", f"{text!r} is not a bucket width; write a count and a unit, e.g. 5m, 1h, 1d."
        )
    return timedelta(seconds=int(found.group(1)) * UNIT_SECONDS[found.group(2)])


@dataclass(frozen=True)
class Window:
    """The half-open time range [start, end)."""

    start: datetime
    end: datetime

    @property
    def span(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> Window:
        """The period of the same length just before this one."""
        return Window(self.start - self.span, self.start)

    @classmethod
    def around(
        cls, start: datetime | None, end: datetime | None, *, latest: datetime | None
    ) -> Window:
        """The window asked for; a missing end is just after the latest reading (or now), a
        missing start one day before the end."""
        if end is None:
            anchor = latest + timedelta(microseconds=1) if latest else datetime.now(UTC)
            end = max(anchor, start + timedelta(microseconds=1)) if start else anchor
        start = start or end - DEFAULT_SPAN
        if start >= end:
            raise InvalidSeries("from", "'from' must be before 'to'.")
        return cls(start, end)

    def check(self, *, max_days: int) -> None:
        if self.span > timedelta(days=max_days):
            raise InvalidSeries("to", f"The window spans more than {max_days} days; narrow it.")

    def buckets(self, width: timedelta) -> list[datetime]:
        """The starts of the buckets covering the window, aligned to BUCKET_ORIGIN."""
        first = self.first_bucket(width)
        return [first + index * width for index in range(self.bucket_count(width))]

    def first_bucket(self, width: timedelta) -> datetime:
        return BUCKET_ORIGIN + ((self.start - BUCKET_ORIGIN) // width) * width

    def bucket_count(self, width: timedelta) -> int:
        return -(-(self.end - self.first_bucket(width)) // width)  # ceiling


@dataclass(frozen=True)
class SeriesRequest:
    """One series: raw readings, `points` of them chosen by MinMaxLTTB, or buckets."""

    sensor_id: int
    window: Window
    bucket: timedelta | None = None
    aggregate: Aggregate = Aggregate.AVG
    points: int | None = None

    def check(self, *, max_days: int, max_points: int) -> None:
        self.window.check(max_days=max_days)
        if self.bucket is not None and self.points is not None:
            raise InvalidSeries("points", "Ask for bucket= or points=, not both.")
        if self.points is not None and not 3 <= self.points <= max_points:
            raise InvalidSeries("points", f"points must be from 3 to {max_points}.")
        if self.bucket is not None and self.window.bucket_count(self.bucket) > max_points:
            raise InvalidSeries(
                "bucket",
                f"More than {max_points} buckets: widen the bucket or narrow the window.",
            )
