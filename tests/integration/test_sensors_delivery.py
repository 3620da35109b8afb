"""At-least-once delivery against the real database, committed as in production: twenty copies
at once leave one row; an outage answers 503 to everything and the redeliveries afterwards store
each message exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import Engine, delete, func, select

from mosaic.sensors.models import MessageModel, QuarantineModel, ReadingModel, SensorModel
from tests.support.sensors import PUSH, TOKEN, envelope, payload

pytestmark = pytest.mark.integration
SENSOR = 9_000_011  # no other test uses it
URL = f"{PUSH}?token={TOKEN}"


@pytest.fixture
def cleanup(engine: Engine) -> Iterator[None]:
    yield
    with engine.begin() as connection:
        for model in (ReadingModel, MessageModel):
            connection.execute(delete(model).where(model.sensor_id == SENSOR))
        connection.execute(delete(SensorModel).where(SensorModel.sensor_id == SENSOR))
        connection.execute(delete(QuarantineModel).where(QuarantineModel.message_id.like("it-%")))


def stored(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(ReadingModel.message_id, func.count())
            .where(ReadingModel.sensor_id == SENSOR)
            .group_by(ReadingModel.message_id)
        )
        return {str(row[0]): int(row[1]) for row in rows}


def document(message_id: str, second: int = 0) -> dict:
    data = payload(sensor_id=SENSOR, dwell_time=1.5 + second, Time=f"2022-11-09T10:00:{second:02d}")
    return envelope(message_id, data)


def test_twenty_copies_at_once_leave_one_row(
    make_app: Callable[..., Flask], engine: Engine, cleanup: None
) -> None:
    app = make_app(PUBSUB_VERIFICATION_TOKEN=TOKEN, DATABASE_POOL_SIZE=10)
    barrier, statuses = threading.Barrier(20), []

    def deliver() -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(URL, json=document("it-twenty")).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [204] * 20
    assert stored(engine) == {"it-twenty": 1}
    with engine.connect() as connection:
        count = connection.scalar(
            select(SensorModel.reading_count).where(SensorModel.sensor_id == SENSOR)
        )
        messages = connection.scalar(
            select(func.count()).select_from(MessageModel).where(MessageModel.sensor_id == SENSOR)
        )
    assert (count, messages) == (1, 1)


def test_concurrent_poison_is_quarantined_once(
    make_app: Callable[..., Flask], engine: Engine, cleanup: None
) -> None:
    app = make_app(PUBSUB_VERIFICATION_TOKEN=TOKEN)
    barrier, statuses = threading.Barrier(10), []

    def deliver() -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(URL, json=envelope("it-poison", raw_data="%%")).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [202] * 10
    with engine.connect() as connection:
        kept = connection.scalar(
            select(func.count())
            .select_from(QuarantineModel)
            .where(QuarantineModel.message_id == "it-poison")
        )
    assert kept == 1


def test_an_outage_is_a_503_for_every_message_and_redelivery_stores_each_once(
    make_app: Callable[..., Flask], engine: Engine, cleanup: None
) -> None:
    batch = [(f"it-outage-{n}", document(f"it-outage-{n}", n)) for n in range(10)]
    down = make_app(
        PUBSUB_VERIFICATION_TOKEN=TOKEN,
        DATABASE_URL="postgresql+psycopg2://mosaic:mosaic@127.0.0.1:1/unreachable",
        DATABASE_CONNECT_TIMEOUT_S=1,
    )
    client = down.test_client()
    for _, sent in batch:
        response = client.post(URL, json=sent)
        assert response.status_code == 503
        assert response.headers["Retry-After"].isdigit()
        assert response.mimetype == "application/problem+json"
    poison = client.post(URL, json=envelope("it-outage-poison", raw_data="%%"))
    assert poison.status_code == 503  # not acknowledged: it could not be quarantined either
    assert stored(engine) == {}

    up = make_app(PUBSUB_VERIFICATION_TOKEN=TOKEN).test_client()
    for _ in range(2):  # Pub/Sub redelivers; some messages twice
        assert [up.post(URL, json=sent).status_code for _, sent in batch] == [204] * 10
    assert up.post(URL, json=envelope("it-outage-poison", raw_data="%%")).status_code == 202
    assert stored(engine) == {message_id: 1 for message_id, _ in batch}
