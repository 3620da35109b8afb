"""Push envelopes, readings and poison, series windows: plain Python rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from mosaic.sensors.domain.push import NotAnEnvelope, PushMessage
from mosaic.sensors.domain.reading import Poison, PoisonMessage, decode
from mosaic.sensors.domain.series import (
    Aggregate,
    InvalidSeries,
    SeriesRequest,
    Window,
    parse_bucket,
)
from tests.support.sensors import encoded, envelope, payload, unwrapped_headers

pytestmark = pytest.mark.unit


def wrapped(document: dict) -> PushMessage:
    return PushMessage.from_envelope(document, body=json.dumps(document).encode())


def test_the_briefs_envelope_decodes_to_a_reading() -> None:
    reading = decode(wrapped(envelope("2070443601311540")))
    assert (reading.message_id, reading.sensor_id, reading.dwell_time) == (
        "2070443601311540",
        100013,
        2.72,
    )
    assert reading.observed_at == datetime(2022, 11, 8, 4, 0, 4, 317801, tzinfo=UTC)  # naive: UTC
    assert reading.published_at == datetime(2022, 11, 8, 4, 0, 5, tzinfo=UTC)
    assert (reading.serial, reading.application, reading.type, reading.device) == (
        "000100000100",
        11,
        "xkgw",
        "TestDevice",
    )
    assert reading.payload == payload()
    assert reading.attributes == {"key": "value"}


def test_snake_case_twins_are_read_too() -> None:
    message = wrapped(envelope("42", snake=True))
    assert (message.message_id, message.publish_time) == ("42", "2022-11-08T04:00:05.000Z")


def test_an_offset_time_is_converted_to_utc() -> None:
    reading = decode(wrapped(envelope("1", payload(Time="2022-11-08T06:00:00+02:00"))))
    assert reading.observed_at == datetime(2022, 11, 8, 4, tzinfo=UTC)


def without_attributes(document: dict) -> dict:
    """Unwrapped deliveries carry attributes as plain headers, not told apart from others."""
    del document["message"]["attributes"]
    return document


def test_unwrapped_and_wrapped_decode_to_the_same_reading() -> None:
    body = json.dumps(payload()).encode()
    unwrapped = PushMessage.from_unwrapped(body, headers=unwrapped_headers("7"))
    assert decode(unwrapped) == decode(wrapped(without_attributes(envelope("7"))))


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ([], "#/message"),
        ({"subscription": "s"}, "#/message"),
        ({"message": "text"}, "#/message"),
        ({"message": {"data": encoded(payload())}}, "#/message/messageId"),
        ({"message": {"data": encoded(payload()), "messageId": ""}}, "#/message/messageId"),
        ({"message": {"data": 5, "messageId": "1"}}, "#/message/data"),
        ({"message": {"messageId": "1", "attributes": {"a": 1}}}, "#/message/attributes"),
        ({"message": {"messageId": "x" * 201}}, "#/message/messageId"),
        ({"message": {"messageId": "1"}, "subscription": ["s"]}, "#/message/subscription"),
    ],
)
def test_what_is_not_an_envelope_is_named(document: object, pointer: str) -> None:
    with pytest.raises(NotAnEnvelope) as refused:
        PushMessage.from_envelope(document, body=b"")
    assert refused.value.pointer == pointer


def test_an_unwrapped_delivery_needs_its_message_id_header() -> None:
    with pytest.raises(NotAnEnvelope):
        PushMessage.from_unwrapped(b"{}", headers={"Content-Type": "application/json"})


POISON = [
    (Poison.BAD_BASE64, {"raw_data": "%%not base64%%"}),
    (Poison.NOT_JSON, {"raw_data": "bm90IGpzb24="}),
    (Poison.NOT_JSON, {"raw_data": encoded(None)[:0] + "eyJ2MCI6IDEsICJ2MTgiOiBJbmZpbml0eX0="}),
    (Poison.NOT_AN_OBJECT, {"data": [1, 2]}),
    (Poison.MISSING_FIELD, {"data": {"v18": 1.0, "Time": "2022-11-08T04:00:00"}}),
    (Poison.MISSING_FIELD, {"data": {"v0": 1, "Time": "2022-11-08T04:00:00"}}),
    (Poison.MISSING_FIELD, {"data": {"v0": 1, "v18": 1.0}}),
    (Poison.WRONG_TYPE, {"data": payload(sensor_id="100013")}),
    (Poison.WRONG_TYPE, {"data": payload(sensor_id=-1)}),
    (Poison.WRONG_TYPE, {"data": payload(dwell_time="2.72")}),
    (Poison.WRONG_TYPE, {"data": payload(dwell_time=True)}),
    (Poison.WRONG_TYPE, {"data": payload(application="eleven")}),
    (Poison.WRONG_TYPE, {"data": payload(Time=20221108)}),
    (Poison.WRONG_TYPE, {"data": payload(device="nul\x00")}),
    (Poison.BAD_TIME, {"data": payload(Time="yesterday")}),
    (Poison.BAD_TIME, {"data": payload(Time="1970-01-01T00:00:00")}),
]


@pytest.mark.parametrize(("kind", "fields"), POISON)
def test_poison_is_named_by_kind(kind: Poison, fields: dict) -> None:
    with pytest.raises(PoisonMessage) as poison:
        decode(wrapped(envelope("1", **fields)))
    assert poison.value.kind is kind
    assert poison.value.detail


def test_a_replayed_message_is_parsed_as_on_arrival() -> None:
    document = without_attributes(envelope("9"))
    body = json.dumps(document).encode()
    assert PushMessage.replayed(body, headers={}) == wrapped(document)
    headers = {k.lower(): v for k, v in unwrapped_headers("9").items() if k.startswith("X-")}
    raw = json.dumps(payload()).encode()
    assert decode(PushMessage.replayed(raw, headers=headers)) == decode(wrapped(document))


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("1m", timedelta(minutes=1)),
        ("5m", timedelta(minutes=5)),
        ("1d", timedelta(days=1)),
        ("2w", timedelta(weeks=2)),
        ("30s", timedelta(seconds=30)),
    ],
)
def test_bucket_widths(text: str, width: timedelta) -> None:
    assert parse_bucket(text) == width


@pytest.mark.parametrize("text", ["", "0m", "5", "m", "1y", "-1h", "1.5h", "99999999s"])
def test_bad_bucket_widths_are_refused(text: str) -> None:
    with pytest.raises(InvalidSeries):
        parse_bucket(text)


def test_buckets_cover_the_window_and_align_to_midnight() -> None:
    window = Window(datetime(2022, 11, 8, 4, 30, tzinfo=UTC), datetime(2022, 11, 10, tzinfo=UTC))
    starts = window.buckets(timedelta(days=1))
    assert starts == [datetime(2022, 11, d, tzinfo=UTC) for d in (8, 9)]
    assert window.previous() == Window(
        datetime(2022, 11, 6, 9, tzinfo=UTC), datetime(2022, 11, 8, 4, 30, tzinfo=UTC)
    )


def test_the_default_window_is_the_day_up_to_the_latest_reading() -> None:
    latest = datetime(2022, 11, 8, 5, tzinfo=UTC)
    window = Window.around(None, None, latest=latest)
    assert window.end == latest + timedelta(microseconds=1)
    assert window.span == timedelta(days=1)


def test_caps() -> None:
    day = Window(datetime(2022, 1, 1, tzinfo=UTC), datetime(2022, 1, 2, tzinfo=UTC))
    with pytest.raises(InvalidSeries, match="not both"):
        SeriesRequest(1, day, bucket=timedelta(hours=1), points=10).check(
            max_days=1, max_points=100
        )
    with pytest.raises(InvalidSeries, match="buckets"):
        SeriesRequest(1, day, bucket=timedelta(minutes=1)).check(max_days=1, max_points=100)
    with pytest.raises(InvalidSeries, match="days"):
        SeriesRequest(1, Window(day.start, day.end + timedelta(days=1))).check(
            max_days=1, max_points=100
        )
    with pytest.raises(InvalidSeries, match="points"):
        SeriesRequest(1, day, points=101).check(max_days=1, max_points=100)
    SeriesRequest(1, day, bucket=timedelta(hours=1), aggregate=Aggregate.P95).check(
        max_days=1, max_points=100
    )
    with pytest.raises(InvalidSeries, match="before"):
        Window.around(day.end, day.start, latest=None)
