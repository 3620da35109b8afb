"""marshmallow schemas of the sensors API: query strings in, representations out."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma

from mosaic.platform.querystring import Patterned
from mosaic.sensors.domain.reading import MAX_SENSOR_ID
from mosaic.sensors.domain.series import BUCKET_TEXT, Aggregate, InvalidSeries, parse_bucket

EARLIEST_YEAR, LATEST_YEAR = 1970, 9000
# What `from` and `to` accept: a date, or a date and time (seconds and fraction optional), naive
# (UTC) or with Z or an offset; years 1970 to 9000.
_YEAR = r"(?:19[7-9][0-9]|[2-8][0-9]{3}|9000)"
_DAY = rf"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
INSTANT = re.compile(rf"^{_DAY}(?:[T ]{_TIME}(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?$")


def iso(moment: datetime | None) -> str | None:
    """UTC, ISO 8601 with a Z: what a chart library parses everywhere."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _example(value: Any, description: str) -> dict[str, Any]:
    return {"metadata": {"example": value, "description": description}}


class Instant(Patterned):
    """An ISO 8601 date or time; a naive one is UTC."""

    pattern = INSTANT

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a datetime
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> datetime:
        text = str(value)
        try:
            if not INSTANT.match(text):
                raise ValueError(text)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError as error:
            raise ma.ValidationError(
                f"{text!r} is not an ISO 8601 time, e.g. 2022-11-08 or 2022-11-08T04:00:00Z."
            ) from error
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Bucket(Patterned):
    pattern = BUCKET_TEXT

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        try:
            return parse_bucket(str(value))
        except InvalidSeries as error:
            raise ma.ValidationError(error.detail) from error


class WindowQuery(ma.Schema):
    start = Instant(
        data_key="from",
        **_example(
            "2022-11-08", "Start, included (ISO 8601; naive is UTC). Default: a day before `to`."
        ),
    )
    end = Instant(
        data_key="to",
        **_example("2022-11-09", "End, excluded. Default: just after the latest reading."),
    )


class SeriesQuery(WindowQuery):
    bucket = Bucket(**_example("5m", "Bucket width: a count and s, m, h, d or w (1m, 1h, 1d)."))
    aggregate = ma.fields.Enum(
        Aggregate,
        by_value=True,
        data_key="agg",
        load_default=Aggregate.AVG,
        **_example("avg", "The aggregate of each bucket: avg, min, max, count, p50, p95."),
    )
    points = ma.fields.Integer(
        strict=False,
        validate=ma.validate.Range(min=3, error="points must be 3 or more."),
        metadata={
            "description": "Downsample the raw series to this many points (MinMaxLTTB), e.g. "
            "1000 (at most SENSORS_MAX_POINTS; not with bucket)."
        },
    )
    format = ma.fields.String(
        load_default="json",
        validate=ma.validate.OneOf(["json", "csv"], error="Must be json or csv."),
        **_example("json", "json (default) or csv (t,v lines)."),
    )


class KpiQuery(WindowQuery):
    sensor_id = ma.fields.Integer(
        strict=False,
        validate=ma.validate.Range(0, MAX_SENSOR_ID, error="Must be a sensor id (>= 0)."),
        **_example(100013, "Only this sensor."),
    )


class SensorPath(ma.Schema):
    sensor_id = ma.fields.Integer(
        required=True,
        strict=False,
        validate=ma.validate.Range(0, MAX_SENSOR_ID, error="Must be a sensor id (>= 0)."),
        **_example(100013, "The sensor id (v0 of its messages)."),
    )


class PushQuery(ma.Schema):
    token = ma.fields.String(**_example("s3cret", "The shared verification token, if used."))


class QuarantineQuery(ma.Schema):
    after_id = ma.fields.Integer(
        load_default=0,
        validate=ma.validate.Range(0, 2**63 - 1, error="Must be >= 0."),
        **_example(0, "Only entries after this id (the `next_after_id` of the last page)."),
    )
    limit = ma.fields.Integer(
        load_default=100,
        validate=ma.validate.Range(1, 1000, error="Must be from 1 to 1000."),
        **_example(100, "Entries per page (1-1000)."),
    )


class SensorRead(ma.Schema):
    sensor_id = ma.fields.Integer()
    first_observed_at = ma.fields.Function(lambda s: iso(s["first_observed_at"]))
    last_observed_at = ma.fields.Function(lambda s: iso(s["last_observed_at"]))
    reading_count = ma.fields.Integer()


class QuarantinedRead(ma.Schema):
    id = ma.fields.Integer()
    message_id = ma.fields.String()
    kind = ma.fields.String()
    reason = ma.fields.String()
    received_at = ma.fields.Function(lambda q: iso(q.received_at))
    body = ma.fields.Function(lambda q: q.body.decode("utf-8", errors="replace"))
    headers = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
