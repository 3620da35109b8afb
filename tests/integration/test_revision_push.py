"""Revisions pushed with LISTEN/NOTIFY, as two workers on one database would see them: a commit
through one is seen by the other within the bound, a rollback announces nothing, and a killed
listener makes reads strict at once, then reconnects and pushes again."""

from __future__ import annotations

import json
import select
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg2
import pytest
from psycopg2 import sql
from sqlalchemy import Connection, Engine, column, func, table, text, update
from sqlalchemy import select as select_sql
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from mosaic.expenses.models import ExpenseRevisionModel
from mosaic.expenses.queries import ExpenseReadModel
from mosaic.expenses.repository import ExpensesUnitOfWork
from mosaic.geo.queries import turnover
from mosaic.geo.repository import GeoUnitOfWork
from mosaic.numbers.models import PhoneNumberRevisionModel
from mosaic.numbers.queries import PhoneNumberCatalog
from mosaic.numbers.repository import NumbersUnitOfWork
from mosaic.platform.revisions import CHANNEL, Revision, RevisionChannel

COUNTER = PhoneNumberRevisionModel.__tablename__
LIVENESS_MS = 1000
BOUND_S = LIVENESS_MS / 1000  # what the tests allow a push to take (docs/performance.md)


@dataclass
class Worker:
    """One worker process's view: its channel (listener) and the revision it follows."""

    channel: RevisionChannel
    revision: Revision
    reads: list[int]  # the counter values read by requests (this thread)


def within(deadline_s: float, check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.005)
    return check()


def counter_value(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select_sql(PhoneNumberRevisionModel.revision)) or 0)


def bump_in(connection: Connection, model: type = PhoneNumberRevisionModel) -> None:
    connection.execute(update(model).values(revision=model.revision + 1))


def bump(engine: Engine, model: type = PhoneNumberRevisionModel, *, commit: bool = True) -> None:
    with engine.connect() as connection:
        bump_in(connection, model)
        if commit:
            connection.commit()
        else:
            connection.rollback()


def dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def workers(database_url: str, engine: Engine) -> Iterator[Callable[[str], Worker]]:
    started: list[Worker] = []

    def start(name: str) -> Worker:
        reads: list[int] = []

        def read() -> int:
            value = counter_value(engine)
            if threading.current_thread() is threading.main_thread():
                reads.append(value)  # a request's read (the listener's beats are not counted)
            return value

        channel = RevisionChannel(dsn(database_url), liveness_ms=LIVENESS_MS, name=name)
        worker = Worker(channel, channel.follow(COUNTER, Revision(read)), reads)
        worker.revision.current()  # the first read starts the listener
        assert within(5, channel.trusted), f"{name} did not start listening"
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.channel.close()


def test_a_commit_through_one_worker_is_pushed_to_the_other(
    workers: Callable[[str], Worker], engine: Engine
) -> None:
    writer, reader = workers("push-test-writer"), workers("push-test-reader")
    assert reader.revision.current() == counter_value(engine)  # read once after listening
    reads = len(reader.reads)

    bump(engine)
    expected = counter_value(engine)
    assert within(BOUND_S, lambda: reader.revision.current() == expected)
    assert within(BOUND_S, lambda: writer.revision.current() == expected)
    assert len(reader.reads) == reads  # pushed, never read


def test_a_rolled_back_write_announces_nothing(database_url: str, engine: Engine) -> None:
    listener = psycopg2.connect(dsn(database_url))
    listener.autocommit = True
    try:
        with listener.cursor() as cursor:
            cursor.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
        bump(engine, commit=False)
        bump(engine, ExpenseRevisionModel)  # a committed marker, announced after the rollback
        heard: list[dict[str, object]] = []
        deadline = time.monotonic() + 5
        while not heard and time.monotonic() < deadline:
            select.select([listener], [], [], 0.1)
            listener.poll()
            heard += [json.loads(n.payload) for n in listener.notifies]
            listener.notifies.clear()
        assert [n["counter"] for n in heard] == [ExpenseRevisionModel.__tablename__]
    finally:
        listener.close()


def listener_pids(engine: Engine, name: str) -> list[int]:
    with engine.connect() as connection:
        return list(
            connection.scalars(
                select_sql(column("pid"))
                .select_from(table("pg_stat_activity"))
                .where(column("application_name") == name)
            )
        )


def test_a_killed_listener_makes_reads_strict_then_reconnects(
    workers: Callable[[str], Worker], engine: Engine
) -> None:
    reader = workers("push-test-killed")
    [pid] = listener_pids(engine, "push-test-killed")
    with engine.connect() as connection:
        assert connection.scalar(select_sql(func.pg_terminate_backend(pid)))
    assert within(5, lambda: pid not in listener_pids(engine, "push-test-killed"))

    bump(engine)  # no listener hears this one
    assert reader.revision.current() == counter_value(engine)  # strict: seen at once

    # Back: a new listener connection, trusted (until the thread has noticed the kill, the old
    # one can still look trusted for a moment, with no backend behind it).
    def back() -> bool:
        return listener_pids(engine, "push-test-killed") not in ([], [pid])

    assert within(10, lambda: back() and reader.channel.trusted()), "the listener is not back"
    bump(engine)
    expected = counter_value(engine)
    # Pushed again: once the listener has applied it (a read while the notification still
    # waits on the socket is strict, by design), reads take the value without reading.
    assert within(
        BOUND_S, lambda: reader.channel.trusted() and reader.revision.current() == expected
    )
    reads = len(reader.reads)
    assert [reader.revision.current() for _ in range(5)] == [expected] * 5
    assert len(reader.reads) == reads


def test_push_is_off_when_reads_go_to_another_database(database_url: str) -> None:
    replica = make_url(database_url).set(database="elsewhere").render_as_string(False)
    config = {
        "DATABASE_URL": database_url,
        "DATABASE_READ_URL": replica,
        "REVISION_PUSH": True,
        "REVISION_PUSH_LIVENESS_MS": LIVENESS_MS,
    }
    channel = RevisionChannel.from_config(config)
    revision = channel.follow(COUNTER, Revision(lambda: 7))
    assert revision.current() == 7
    assert not channel.trusted()


def test_a_write_whose_notification_is_lost_is_seen_within_the_liveness_bound(
    workers: Callable[[str], Worker], engine: Engine
) -> None:
    reader = workers("push-test-lost")
    reader.revision.current()
    with engine.connect() as connection:  # a commit that announces nothing
        connection.execute(text("ALTER TABLE phone_number_revision DISABLE TRIGGER USER"))
        bump_in(connection)
        connection.execute(text("ALTER TABLE phone_number_revision ENABLE TRIGGER USER"))
        connection.commit()
    expected = counter_value(engine)
    assert within(BOUND_S, lambda: reader.revision.current() == expected)


def test_each_context_follows_the_name_its_trigger_announces(
    database_url: str, engine: Engine
) -> None:
    """A name that did not match would leave that cache to the beats alone (up to 1 s)."""
    followed = {
        turnover.REVISION_COUNTER,
        PhoneNumberCatalog.REVISION_COUNTER,
        ExpenseReadModel.REVISION_COUNTER,
    }
    listener = psycopg2.connect(dsn(database_url))
    listener.autocommit = True
    sessions = sessionmaker(engine)
    try:
        with listener.cursor() as cursor:
            cursor.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
        with GeoUnitOfWork(sessions) as uow:  # each context's own write path
            uow.revisions.bump()
            uow.commit()
        with NumbersUnitOfWork(sessions) as uow:
            uow.phone_numbers.bump_revision()
            uow.commit()
        with ExpensesUnitOfWork(sessions) as uow:
            uow.bump_revision()
            uow.commit()
        assert heard_counters(listener, 3) == followed
    finally:
        listener.close()


def heard_counters(listener: psycopg2.extensions.connection, count: int) -> set[str]:
    heard: list[str] = []
    deadline = time.monotonic() + 5
    while len(heard) < count and time.monotonic() < deadline:
        select.select([listener], [], [], 0.1)
        listener.poll()
        heard += [json.loads(n.payload)["counter"] for n in listener.notifies]
        listener.notifies.clear()
    return set(heard)


def test_the_state_health_reports_follows_the_listener(workers: Callable[[str], Worker]) -> None:
    assert RevisionChannel(None).state()["status"] == "off"
    listening = workers("push-test-health")
    assert listening.channel.state() == {"status": "listening", "reads": "pushed (bound 1000 ms)"}

    nowhere = RevisionChannel("postgresql://mosaic:mosaic@127.0.0.1:9/mosaic", name="nowhere")
    nowhere.follow(COUNTER, Revision(lambda: 0))
    try:
        assert nowhere.state()["status"] in {"starting", "down"}  # the first attempt is under way
        assert within(5, lambda: nowhere.state()["status"] == "down")
        assert nowhere.state()["reads"] == "strict until the listener listens"
    finally:
        nowhere.close()
