"""The listener of one process: LISTEN on a dedicated connection, beats, trust and backoff
(the package's docstring tells the whole story and the bound it gives)."""

from __future__ import annotations

import json
import logging
import os
import random
import select
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
from psycopg2 import extensions, sql
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from mosaic.platform.revisions.revision import Revision

CHANNEL = "mosaic_revision"  # the name the trigger function of migration 0007 notifies
APPLICATION_NAME = "mosaic-revisions"  # how the listener's backend shows in pg_stat_activity
BACKOFF_S = (0.1, 5.0)  # first and longest wait between reconnection attempts
log = logging.getLogger("mosaic.revisions")


class Liveness:
    """When the listener's last beat began (it answered and read every counter after that
    moment); fresh for `bound_s` after it."""

    def __init__(self, bound_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.bound_s, self._clock = bound_s, clock
        self._proved_at: float | None = None

    def proved(self, *, at: float | None = None) -> None:
        self._proved_at = self._clock() if at is None else at

    def lost(self) -> None:
        self._proved_at = None

    def fresh(self) -> bool:
        proved_at = self._proved_at
        return proved_at is not None and self._clock() - proved_at <= self.bound_s


class RevisionChannel:
    """The counters this process follows, and its listener (when push is on)."""

    def __init__(
        self, dsn: str | None, *, liveness_ms: int = 1000, name: str = APPLICATION_NAME
    ) -> None:
        self._dsn = dsn  # None: push is off, every followed revision reads (strict)
        self.name = name  # the listener's application_name
        self.liveness = Liveness(liveness_ms / 1000)
        self.heartbeat_s = liveness_ms / 4000
        self._followers: dict[str, list[Revision]] = {}
        self._pid: int | None = None
        self._socket: int | None = None  # the listening connection's fd while it listens
        self._busy = False  # the thread is taking bytes off the socket and applying them
        self._lost = False  # the listener has failed since it last listened (for /health)
        self._closing = threading.Event()
        self._start_lock = threading.Lock()

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> RevisionChannel:
        """Push when REVISION_PUSH is on and reads go to the primary: notifications come from the
        primary, and a replica may not have the data of a revision announced there yet."""
        url = str(config["DATABASE_URL"])
        pushing = bool(config["REVISION_PUSH"]) and config["DATABASE_READ_URL"] == url
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        return cls(dsn if pushing else None, liveness_ms=int(config["REVISION_PUSH_LIVENESS_MS"]))

    def follow(self, counter: str, revision: Revision) -> Revision:
        """Feed `revision` the values announced for `counter` (the trigger's name for it)."""
        if self._dsn is not None:
            self._followers.setdefault(counter, []).append(revision)
            revision.fed_by(self)
        return revision

    def trusted(self) -> bool:
        """Whether a pushed value is current: called by every cached read, so no round trip."""
        if self._pid != os.getpid():
            if self._dsn is not None:
                self._start()
            return False
        fd = self._socket
        if fd is None or not self.liveness.fresh():
            return False
        try:  # anything waiting on the socket (a notification, an error) is not applied yet
            waiting = select.select([fd], [], [], 0)[0]
        except (OSError, ValueError):
            return False
        return not waiting and not self._busy and self._socket == fd

    def state(self) -> dict[str, str]:
        """This process's listener, for /health: reads trust pushed revisions only when it
        listens; otherwise they read the counters (strict: slower, never stale)."""
        if self._dsn is None:
            return {"status": "off", "reads": "strict (REVISION_PUSH is off)"}
        self.trusted()  # starts this process's listener if it has not started yet
        if self._socket is not None and self.liveness.fresh():
            bound = round(self.liveness.bound_s * 1000)
            return {"status": "listening", "reads": f"pushed (bound {bound} ms)"}
        status = "starting" if self._socket is None and not self._lost else "down"
        return {"status": status, "reads": "strict until the listener listens"}

    def close(self) -> None:
        """Stop this process's listener (tests; the thread is a daemon otherwise)."""
        self._closing.set()

    def _start(self) -> None:
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._pid, self._socket, self._busy, self._lost = os.getpid(), None, False, False
            self.liveness.lost()  # a parent's state means nothing in this process
            self._closing = threading.Event()
            thread = threading.Thread(target=self._run, name="revision-listener", daemon=True)
            thread.start()

    def _run(self) -> None:
        wait = BACKOFF_S[0]
        while not self._closing.is_set():
            try:
                with self._connected() as connection:
                    wait = BACKOFF_S[0]
                    self._listen(connection)
            except (psycopg2.Error, SQLAlchemyError, OSError) as error:
                self._lost = True
                log.warning(
                    "revision listener lost, reads are strict", extra={"error": repr(error)}
                )
            if self._closing.wait(wait * random.uniform(0.5, 1.0)):  # noqa: S311 (jitter)
                break
            wait = min(wait * 2, BACKOFF_S[1])

    @contextmanager
    def _connected(self) -> Iterator[extensions.connection]:
        connection = psycopg2.connect(
            self._dsn,
            application_name=self.name,
            connect_timeout=max(1, round(self.liveness.bound_s * 2)),
        )
        try:
            connection.set_isolation_level(extensions.ISOLATION_LEVEL_AUTOCOMMIT)
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            for revisions in self._followers.values():
                for revision in revisions:
                    revision.resync()  # announcements before LISTEN were not heard
            self.liveness.proved()
            self._socket, self._lost = connection.fileno(), False
            log.info("revision listener is listening", extra={"channel": CHANNEL})
            yield connection
        finally:
            self._socket = None  # before the fd is closed and its number reused
            self.liveness.lost()
            connection.close()

    def _listen(self, connection: extensions.connection) -> None:
        beat_at = time.monotonic()
        while not self._closing.is_set():
            wait = max(0.0, beat_at - time.monotonic())
            ready = select.select([connection], [], [], wait)[0]
            self._busy = True
            try:
                if ready:
                    connection.poll()
                    self._apply(connection)
            finally:
                self._busy = False
            if time.monotonic() >= beat_at:
                beat_at = time.monotonic() + self.heartbeat_s
                self._heartbeat(connection)

    def _heartbeat(self, connection: extensions.connection) -> None:
        """Prove the connection answers, then read every counter: a value committed before this
        beat began is applied by its end, so trust never outlives a lost notification by more
        than the liveness bound (counted from the beat's start)."""
        began = time.monotonic()
        self._busy = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            self._apply(connection)
        finally:
            self._busy = False
        for revisions in self._followers.values():
            for revision in revisions:
                revision.refresh()
        self.liveness.proved(at=began)

    def _apply(self, connection: extensions.connection) -> None:
        while connection.notifies:
            announced = connection.notifies.pop(0)
            try:
                payload = json.loads(announced.payload)
                counter, value = str(payload["counter"]), int(payload["revision"])
            except (ValueError, KeyError, TypeError):
                log.warning(
                    "unreadable revision notification", extra={"payload": announced.payload}
                )
                continue
            for revision in self._followers.get(counter, ()):
                revision.pushed(value)
