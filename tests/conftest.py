"""Fixtures on a real PostgreSQL + PostGIS: the database named by TEST_DATABASE_URL is dropped,
recreated and migrated once per run; each test runs in a transaction that is rolled back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from mosaic import create_app
from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.services import AuthService
from mosaic.platform.cache import ResultCache
from mosaic.platform.db import Database
from mosaic.platform.revisions import RevisionChannel
from mosaic.platform.wiring import service

# Fixtures shared across tiers live in tests/support, loaded as plugins (no imports needed).
pytest_plugins = ["tests.support.geo", "tests.support.browser"]
ROOT = Path(__file__).resolve().parents[1]
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256"


def required_database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("TEST_DATABASE_URL is not set: run the suite with `make test`.", returncode=2)
    return url


def recreate_database(url: str) -> None:
    """DROP and CREATE the database of `url` (PostGIS comes from template1, see provision.sh)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    # DDL takes no bound parameters: the name is quoted as an identifier by the dialect.
    name = admin.dialect.identifier_preparer.quote(str(target.database))
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["configure_logger"] = False
    config.cmd_opts = None
    config.set_main_option("sqlalchemy.url", url)
    os.environ.setdefault("DATABASE_URL", url)
    return config


def migrate(url: str, revision: str = "head") -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


class PinnedDatabase(Database):
    """A Database whose sessions and reads all join one outer transaction of the test."""

    connection: Connection | None = None

    def pin(self, connection: Connection) -> None:
        self.connection = connection
        self.sessions = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        assert self.connection is not None, "pin() the database to the test's connection first"
        yield self.connection


def app_config(**overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "ENV": "test",
        "JWT_SECRET_KEY": TEST_SECRET,
        "RATELIMIT_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": os.environ.get("TEST_REDIS_URL") or None,
        **overrides,
    }


@pytest.fixture(scope="session")
def database_url() -> str:
    url = required_database_url()
    recreate_database(url)
    migrate(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url, pool_pre_ping=True)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """The test's connection: an outer transaction rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()


@pytest.fixture(scope="session")
def pinned_database(engine: Engine) -> PinnedDatabase:
    return PinnedDatabase(engine)


@pytest.fixture(scope="session")
def session_app(pinned_database: PinnedDatabase) -> Flask:
    return create_app(app_config(), database=pinned_database)


@pytest.fixture
def app(session_app: Flask, pinned_database: PinnedDatabase, connection: Connection) -> Flask:
    """The shared app, its database pinned to this test's transaction, its cache empty."""
    pinned_database.pin(connection)
    service(ResultCache, session_app).clear()
    return session_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """A fresh app with its own settings, on the real (unpinned) test database. Its revisions
    are pushed (LISTEN/NOTIFY) as by default; its listener stops after the test."""
    built: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        built.append(create_app(app_config(**{"DATABASE_URL": database_url, **overrides})))
        return built[-1]

    yield build
    for app in built:
        service(RevisionChannel, app).close()


@pytest.fixture
def auth_headers(app: Flask) -> Iterator[Callable[..., dict[str, str]]]:
    """Authorization headers for a token with the given role (viewer, editor, admin), of a user
    stored in the test's transaction (tokens are checked against the user's session state).

    `on=` another app (from make_app, on the unpinned database) stores the user there, and
    deletes it after the test.
    """
    stored_elsewhere: list[tuple[Flask, str]] = []

    def headers(
        role: str, username: str | None = None, *, on: Flask | None = None
    ) -> dict[str, str]:
        target = on or app
        auth = service(AuthService, target)
        name = username or f"test-{role}"
        with auth.uow() as uow:
            user = uow.users.get_by_username(name) or uow.users.save(
                User(name, Role(role), password_hash="!unusable")
            )
            uow.commit()
        if on is not None:
            stored_elsewhere.append((on, name))
        with target.test_request_context():
            token = auth.issuer.issue(user).access_token
        return {"Authorization": f"Bearer {token}"}

    yield headers
    for other, name in stored_elsewhere:
        with service(AuthService, other).uow() as uow:
            found = uow.users.get_by_username(name)
            if found:
                uow.users.delete(found)
                uow.commit()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test belongs to exactly one tier: the folder it lives in."""
    tiers = {"unit", "integration", "e2e", "compose"}
    for item in items:
        tier = item.path.parent.name
        if tier in tiers:
            item.add_marker(getattr(pytest.mark, tier))
