"""Engines, sessions and the unit of work. Built by `create_app`; nothing connects at import."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar

from sqlalchemy import Connection, Engine, Executable, MetaData, create_engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool

P = ParamSpec("P")
R = TypeVar("R")
CONFLICT_ATTEMPTS = 3
log = logging.getLogger("mosaic.db")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table model; Alembic compares against its metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def build_engine(
    url: str, *, pool_size: int | None, statement_timeout_ms: int, connect_timeout_s: int
) -> Engine:
    """A pooled engine; `pool_size=None` gives an unpooled one (standing connections)."""
    pooling: dict[str, Any] = (
        {"poolclass": NullPool}
        if pool_size is None
        else {
            "pool_pre_ping": True,  # a connection killed under us is replaced at checkout
            "pool_size": pool_size,
            "max_overflow": pool_size,
            "pool_recycle": 1800,
        }
    )
    return create_engine(
        url,
        connect_args={
            "connect_timeout": connect_timeout_s,
            "application_name": "mosaic",
            "options": f"-c statement_timeout={int(statement_timeout_ms)}",
        },
        **pooling,
    )


class StandingReads:
    """One autocommit connection per thread, kept open, for tiny reads on the hot path.

    A pooled read costs a checkout, a pre-ping, the statement and a reset: three round trips
    and much Python. A revision counter read on every request needs none of that. A connection
    found broken (killed, restarted server) is dropped and the read retried once on a new one.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine  # unpooled: these connections never take a slot of the pool
        self._local = threading.local()

    def scalar(self, statement: Executable) -> Any:
        for attempt in (1, 2):
            try:
                return self._connection().scalar(statement)
            except DBAPIError as error:
                self._drop()
                if attempt == 2 or not error.connection_invalidated:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self) -> Connection:
        connection: Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._local.connection = connection
        return connection

    def _drop(self) -> None:
        connection: Connection | None = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.invalidate()
            connection.close()


class Database:
    """The primary engine (writes) and the read engine (a replica when configured)."""

    def __init__(
        self,
        engine: Engine,
        read_engine: Engine | None = None,
        *,
        standing: StandingReads | None = None,
    ) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self.standing = standing

    @classmethod
    def from_config(cls, config: dict[str, object]) -> Database:
        pool_size = int(str(config["DATABASE_POOL_SIZE"]))
        timeouts = {
            "statement_timeout_ms": int(str(config["DATABASE_STATEMENT_TIMEOUT_MS"])),
            "connect_timeout_s": int(str(config["DATABASE_CONNECT_TIMEOUT_S"])),
        }
        url, read_url = str(config["DATABASE_URL"]), str(config["DATABASE_READ_URL"])
        engine = build_engine(url, pool_size=pool_size, **timeouts)
        read_engine = (
            engine if read_url == url else build_engine(read_url, pool_size=pool_size, **timeouts)
        )
        standing = StandingReads(build_engine(read_url, pool_size=None, **timeouts))
        return cls(engine, read_engine, standing=standing)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for the read side (queries.py); never commits."""
        with self.read_engine.connect() as connection:
            yield connection

    def read_scalar(self, statement: Executable) -> Any:
        """One value for the hot path, on this thread's standing connection when there is one."""
        if self.standing is not None:
            return self.standing.scalar(statement)
        with self.reading() as connection:
            return connection.scalar(statement)

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(select(1))

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


class UnitOfWork:
    """One business transaction: rolls back on exit unless `commit()` was called.

    Contexts subclass it and attach their repositories in `_start`.
    """

    session: Session

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._start(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.session.rollback()  # a no-op after commit()
        self.session.close()

    def _start(self, session: Session) -> None:
        """Hook for subclasses: build the repositories on `session`."""

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def is_transaction_conflict(error: BaseException) -> bool:
    """PostgreSQL rolled the transaction back because it collided with another: a deadlock
    (40P01) or a serialization failure (40001), SQLSTATE class 40. Running it again may pass."""
    code = getattr(getattr(error, "orig", None), "pgcode", None)
    return isinstance(error, DBAPIError) and str(code or "").startswith("40")


def retry_conflicts(
    call: Callable[P, R], *, attempts: int = CONFLICT_ATTEMPTS, pause_s: float = 0.02
) -> Callable[P, R]:
    """Run a whole use case (its unit of work) again when PostgreSQL rolled it back as a
    deadlock or serialization failure, up to `attempts` runs with a short random pause; the
    last failure propagates (the error handlers answer it 409)."""

    @wraps(call)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, attempts + 1):
            try:
                return call(*args, **kwargs)
            except DBAPIError as error:
                if attempt == attempts or not is_transaction_conflict(error):
                    raise
                log.info("transaction conflict, running it again", extra={"attempt": attempt})
                time.sleep(pause_s * attempt * random.random())  # noqa: S311 (jitter)
        raise AssertionError("unreachable")  # pragma: no cover

    return run
