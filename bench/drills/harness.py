"""Fault drills' plumbing: a private PostgreSQL cluster and Redis server on free loopback ports
(stopping them disturbs no one else), gunicorn over them, and a bounded HTTP load.

Nothing here leaves 127.0.0.1; every loop is bounded in time and count.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# A fresh random key per drill: the production guard refuses placeholders (e.g. the word "secret").
SECRET = secrets.token_urlsafe(48)
EDITOR, PASSWORD = "drill-editor", "drill-editor-password"
PUSH_TOKEN = "drill-push-token"  # noqa: S105 (Pub/Sub's verification token, throwaway stack)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


ENTRY = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[\d+\] ")


def _epoch(stamp: str) -> float:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC).timestamp()


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Postgres:
    """A throwaway cluster in a temporary directory, trust auth, 127.0.0.1 only."""

    root: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://mosaic@127.0.0.1:{self.port}/mosaic"

    def _run(self, *command: str) -> None:
        subprocess.run(_as_postgres(list(command)), check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "mosaic", "--auth=trust")
        self.start()
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                  "mosaic", "mosaic")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root}"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                  "-l", str(self.root / "server.log"), "start")  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        """`immediate` is a crash stop: no checkpoint, clients cut off mid-transaction."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def log_every_statement(self) -> None:
        """Every statement into server.log, stamped in UTC: what the app asks, counted exactly."""
        for sql in (
            "ALTER SYSTEM SET log_statement = 'all'",
            "ALTER SYSTEM SET log_timezone = 'UTC'",
            "ALTER SYSTEM SET log_line_prefix = '%m [%p] '",
            "SELECT pg_reload_conf()",
        ):
            self.psql(sql)  # fmt: skip

    def logged(self, pattern: str) -> list[float]:
        """When (epoch seconds) each logged statement matching `pattern` arrived."""
        entries: list[tuple[float, str]] = []  # (when, text) of each log entry, lines joined
        for line in (self.root / "server.log").read_text(errors="replace").splitlines():
            stamped = ENTRY.match(line)
            if stamped:
                entries.append((_epoch(stamped.group(1)), line[stamped.end() :]))
            elif entries:
                entries[-1] = (entries[-1][0], entries[-1][1] + "\n" + line)
        return [when for when, text in entries
                if text.startswith("LOG:  statement: ") and re.search(pattern, text)]  # fmt: skip

    def psql(self, sql: str) -> str:
        run = subprocess.run(
            _as_postgres([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                          "mosaic", "-d", "mosaic", "-XAtqc", sql]),
            check=True, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return run.stdout.strip()


@dataclass
class Redis:
    root: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--dir", str(self.root),
             "--pidfile", str(self.root / "redis.pid"), "--logfile", str(self.root / "redis.log")],
            check=True, timeout=30,
        )  # fmt: skip
        for _ in range(100):
            if self.cli("ping") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis did not start")

    def stop(self) -> None:
        self.cli("shutdown", "nosave")
        for _ in range(100):
            if self.cli("ping") != "PONG":
                return
            time.sleep(0.05)

    def cli(self, *args: str) -> str:
        run = subprocess.run(["redis-cli", "-p", str(self.port), *args],
                             capture_output=True, text=True, timeout=10, check=False)  # fmt: skip
        return run.stdout.strip()


@dataclass
class Gunicorn:
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{self.port}", "mosaic.wsgi:app"],
                env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if call(self.port, "GET", "/health").status == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become healthy: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class Reply:
    status: int  # 0: no HTTP answer (connection refused or reset)
    headers: dict[str, str]
    body: bytes
    started: float = 0.0
    elapsed: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def is_problem_503(self) -> bool:
        return (
            self.status == 503
            and self.headers.get("Content-Type") == "application/problem+json"
            and bool(self.headers.get("Retry-After"))
        )


def call(
    port: int, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:  # fmt: skip
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = {"Content-Type": "application/json"} if body is not None else {}
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers=sent | (headers or {}))  # fmt: skip
        response = connection.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read(), started,
                     time.monotonic() - started)  # fmt: skip
    except OSError:
        return Reply(0, {}, b"", started, time.monotonic() - started)
    finally:
        connection.close()


def app_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "JWT_SECRET_KEY": SECRET,
        "MOSAIC_ENV": "production",
        "RATELIMIT_ENABLED": "false",  # the load is one client: the drills are not about limits
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",  # the layout the recorded figures were measured with
        "PUBSUB_VERIFICATION_TOKEN": PUSH_TOKEN,
        **extra,
    }


def flask(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run([str(BIN / "flask"), "--app", "mosaic", *args], env=env, cwd=ROOT, input=stdin,
                   text=True, check=True, capture_output=True, timeout=300)  # fmt: skip


@dataclass
class Deployment:
    postgres: Postgres
    redis: Redis
    gunicorn: Gunicorn

    def token(self) -> str:
        reply = call(self.gunicorn.port, "POST", "/api/v1/auth/token",
                     body={"username": EDITOR, "password": PASSWORD})  # fmt: skip
        assert reply.status == 200, reply.body
        return str(reply.json()["access_token"])


@contextmanager
def deployment(*, seeds: tuple[str, ...] = (), **extra_env: str) -> Iterator[Deployment]:
    """Private PostgreSQL + Redis, migrated and seeded (800 numbers, and `seeds`: `expenses`,
    `sensors` for this month's partitions), gunicorn over them."""
    root = Path(tempfile.mkdtemp(prefix="mosaic-drill-"))
    shutil.chown(root, "postgres") if os.geteuid() == 0 else None
    postgres, redis = Postgres(root), Redis(root)
    postgres.create()
    redis.start()
    env = app_env(postgres.url, redis.url, **extra_env)
    gunicorn = Gunicorn(env, root / "gunicorn.log")
    try:
        subprocess.run([str(BIN / "alembic"), "upgrade", "head"], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=300)  # fmt: skip
        flask(env, "users", "create", EDITOR, "--role", "editor", "--password-stdin",
              stdin=PASSWORD + "\n")  # fmt: skip
        flask(env, "seed", "numbers", "--count", "800")
        if "expenses" in seeds:
            flask(env, "seed", "expenses")
        if "sensors" in seeds:
            flask(env, "sensors", "partitions")
        gunicorn.start()
        yield Deployment(postgres, redis, gunicorn)
    finally:
        gunicorn.stop()
        redis.stop()
        with suppress(subprocess.CalledProcessError):  # already stopped by the drill
            postgres.stop("fast")
        shutil.rmtree(root, ignore_errors=True)


Writer = Callable[[int], tuple[str, Reply, str]]  # serial -> (kind, reply, what it wrote)


def number_writer(port: int, token: str) -> Writer:
    """POST /api/v1/numbers, a new value per serial."""
    headers = {"Authorization": f"Bearer {token}"}

    def write(serial: int) -> tuple[str, Reply, str]:
        value = f"+55 21 9{serial // 10000:04d}-{serial % 10000:04d}"
        body = {"value": value, "monthyPrice": "0.03", "setupPrice": "3.40", "currency": "U$"}
        return "write", call(port, "POST", "/api/v1/numbers", body=body, headers=headers), value

    return write


class Load:
    """`readers` threads, `writers` number writers and one thread per extra writer (`also`)
    against one gunicorn until stopped (or `max_seconds`)."""

    def __init__(self, port: int, token: str, *, readers: int = 6, writers: int = 2,
                 also: tuple[Writer, ...] = (), max_seconds: float = 120) -> None:  # fmt: skip
        self.port, self.readers, self.max_seconds = port, readers, max_seconds
        self.writers = (number_writer(port, token),) * writers + also
        self.replies: list[tuple[str, Reply, str]] = []  # (kind, reply, written value)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._serial = iter(range(10**7))
        self._threads: list[threading.Thread] = []
        self.started = 0.0

    def _record(self, kind: str, reply: Reply, value: str = "") -> None:
        with self._lock:
            self.replies.append((kind, reply, value))

    def _read(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self._stop.is_set():
            page = rng.randint(1, 40)
            self._record("read", call(self.port, "GET", f"/api/v1/numbers?per_page=20&page={page}"))
            time.sleep(0.01)

    def _write(self, writer: Writer) -> None:
        while not self._stop.is_set():
            with self._lock:
                serial = next(self._serial)
            self._record(*writer(serial))
            time.sleep(0.02)

    def start(self) -> None:
        self.started = time.monotonic()
        self._threads = [
            threading.Thread(target=self._read, args=(seed,), daemon=True)
            for seed in range(self.readers)
        ] + [threading.Thread(target=self._write, args=(w,), daemon=True) for w in self.writers]
        for thread in self._threads:
            thread.start()
        threading.Timer(self.max_seconds, self._stop.set).start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def written(self, kind: str) -> list[str]:
        """What the writes of `kind` that got a 2xx wrote."""
        return [value for found, reply, value in self.replies
                if found == kind and 200 <= reply.status < 300]  # fmt: skip


def at(started: float, seconds: float) -> None:
    """Sleep until `seconds` after `started`."""
    time.sleep(max(0.0, started + seconds - time.monotonic()))


def report(name: str, figures: dict[str, Any], failures: list[str]) -> int:
    print(json.dumps({"drill": name, "passed": not failures, "failures": failures, **figures},
                     indent=2, default=str))  # fmt: skip
    return 1 if failures else 0


@contextmanager
def table_locked(postgres: Postgres, table: str) -> Iterator[None]:
    """An ACCESS EXCLUSIVE lock on `table` while the block runs: reads of it wait (slow requests
    on demand, without a slow endpoint in the app)."""
    import psycopg2  # the app's driver, in the venv
    from psycopg2 import sql

    connection = psycopg2.connect(
        host="127.0.0.1", port=postgres.port, user="mosaic", dbname="mosaic"
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(table))
            )
        yield
    finally:
        connection.rollback()
        connection.close()


def worker_pids(master: int) -> set[int]:
    command = ["ps", "-o", "pid=", "--ppid", str(master)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    return {int(pid) for pid in run.stdout.split()}
