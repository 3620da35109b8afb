"""The engine the app builds: statement timeout, application name, replica routing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mosaic.platform.db import Database

pytestmark = pytest.mark.integration


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
