"""The engine the app builds: statement timeout, application name, replica routing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError

from mosaic.platform.db import Database


def _database(url: str, read_url: str | None = None) -> Database:
    return Database.from_config(
        {
            "DATABASE_URL": url,
            "DATABASE_READ_URL": read_url or url,
            "DATABASE_POOL_SIZE": 1,
            "DATABASE_STATEMENT_TIMEOUT_MS": 1234,
            "DATABASE_CONNECT_TIMEOUT_S": 2,
        }
    )


def test_connections_carry_the_statement_timeout_and_name(database_url: str) -> None:
    database = _database(database_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "1234ms"
        assert connection.execute(text("SHOW application_name")).scalar_one() == "mosaic"
    database.dispose()


def test_without_a_replica_reads_use_the_primary(database_url: str) -> None:
    database = _database(database_url)
    assert database.read_engine is database.engine
    with database.reading() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    database.dispose()


def test_a_replica_url_gets_its_own_engine(database_url: str) -> None:
    replica = database_url.replace("127.0.0.1", "localhost")
    database = _database(database_url, replica)
    assert database.read_engine is not database.engine
    assert database.read_engine.url.host == "localhost"
    database.dispose()


def test_standing_reads_keep_one_connection_per_thread(database_url: str) -> None:
    database = _database(database_url)
    pids = {database.read_scalar(select(func.pg_backend_pid())) for _ in range(3)}
    assert len(pids) == 1
    other: list[int] = []
    worker = threading.Thread(
        target=lambda: other.append(database.read_scalar(select(func.pg_backend_pid())))
    )
    worker.start()
    worker.join()
    assert other[0] not in pids
    database.dispose()


def test_a_killed_standing_connection_is_replaced_within_the_read(
    database_url: str, engine: Engine
) -> None:
    database = _database(database_url)
    first = database.read_scalar(select(func.pg_backend_pid()))
    with engine.connect() as admin:
        assert admin.scalar(select(func.pg_terminate_backend(first))) is True

    second = database.read_scalar(select(func.pg_backend_pid()))

    assert second != first
    database.dispose()


def test_standing_reads_fail_as_database_errors_when_it_is_down() -> None:
    database = _database("postgresql+psycopg2://mosaic:mosaic@127.0.0.1:9/mosaic")
    with pytest.raises(OperationalError):
        database.read_scalar(select(1))
