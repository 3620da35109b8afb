"""Settings read from the environment, with defaults fit for local development."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "postgresql+psycopg2://mosaic:mosaic@127.0.0.1:5432/mosaic"
DEFAULT_SEED_DATA_DIR = str(Path.cwd() / ".." / "shared" / "data")
# npm installs GraphiQL, React and ReactDOM here (package.json); /graphql serves them offline.
DEFAULT_GRAPHIQL_ASSETS_DIR = str(Path(__file__).resolve().parents[2] / "node_modules")
MIN_SECRET_BYTES = 32
MIN_SECRET_BITS = 128  # estimated from the key's own character frequencies
ENVIRONMENTS = ("development", "test", "production")
# Words that mark a key copied from an example, a README or a template (6+ letters: a random
# key holds one by chance far less than once in a million).
PLACEHOLDERS = ("changeme", "change-me", "change_me", "secret", "password", "placeholder",
                "example", "default", "replace", "your-", "your_")  # fmt: skip

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw else default


def _list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting the application reads, from `env` (the process environment by default)."""
    env = os.environ if env is None else env
    database_url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    return {
        "ENV": env.get("MOSAIC_ENV", "development"),
        # Set by gunicorn.conf.py: a random per-process key is refused under several workers.
        "WORKERS": _int(env, "MOSAIC_WORKERS", 1),
        "DATABASE_URL": database_url,
        "DATABASE_READ_URL": env.get("DATABASE_READ_URL") or database_url,
        "DATABASE_POOL_SIZE": _int(env, "DATABASE_POOL_SIZE", 5),
        "DATABASE_STATEMENT_TIMEOUT_MS": _int(env, "DATABASE_STATEMENT_TIMEOUT_MS", 15_000),
        "DATABASE_CONNECT_TIMEOUT_S": _int(env, "DATABASE_CONNECT_TIMEOUT_S", 3),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "JWT_SECRET_KEY": env.get("JWT_SECRET_KEY") or None,
        "JWT_ACCESS_TOKEN_MINUTES": _int(env, "JWT_ACCESS_TOKEN_MINUTES", 15),
        "JWT_REFRESH_TOKEN_DAYS": _int(env, "JWT_REFRESH_TOKEN_DAYS", 7),
        "AUTH_REQUIRED_FOR_READS": _flag(env.get("AUTH_REQUIRED_FOR_READS"), default=False),
        "RATELIMIT_DEFAULT": env.get("RATELIMIT_DEFAULT", "300 per minute"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute"),
        # Failed logins naming one username, from any address (a slow spread-out guesser).
        "LOGIN_USER_RATE_LIMIT": env.get("LOGIN_USER_RATE_LIMIT", "20 per hour"),
        "TILES_RATE_LIMIT": env.get("TILES_RATE_LIMIT", "3000 per minute"),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), default=True),
        "CACHE_DEFAULT_TIMEOUT": _int(env, "CACHE_DEFAULT_TIMEOUT", 300),
        # Redis failed: this process caches in memory and tries Redis again after this long.
        "CACHE_RETRY_MS": _int(env, "CACHE_RETRY_MS", 1500),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "SEED_DATA_DIR": env.get("SEED_DATA_DIR") or DEFAULT_SEED_DATA_DIR,
        "GRAPHIQL_ASSETS_DIR": env.get("GRAPHIQL_ASSETS_DIR") or DEFAULT_GRAPHIQL_ASSETS_DIR,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "PROXY_HOPS": _int(env, "PROXY_HOPS", 0),
        "CORS_ORIGINS": _list(env.get("CORS_ORIGINS")),
        "GIT_COMMIT": env.get("GIT_COMMIT") or None,
        "BUILD_TIME": env.get("BUILD_TIME") or None,
        "NUMBERS_PRICE_CEILING": env.get("NUMBERS_PRICE_CEILING") or "1000.00",
        # Revisions pushed to every worker (LISTEN/NOTIFY); strict reads while the listener is
        # down, or when this is off. Liveness: how long the listener's last answer is trusted.
        "REVISION_PUSH": _flag(env.get("REVISION_PUSH"), default=True),
        "REVISION_PUSH_LIVENESS_MS": _int(env, "REVISION_PUSH_LIVENESS_MS", 1000),
        "NUMBERS_LIST_STALENESS_MS": _int(env, "NUMBERS_LIST_STALENESS_MS", 0),
        "EXPENSES_READ_STALENESS_MS": _int(env, "EXPENSES_READ_STALENESS_MS", 0),
        "PUBSUB_VERIFICATION_TOKEN": env.get("PUBSUB_VERIFICATION_TOKEN") or None,
        "PUBSUB_OIDC_AUDIENCE": env.get("PUBSUB_OIDC_AUDIENCE") or None,
        "PUBSUB_OIDC_SERVICE_ACCOUNT": env.get("PUBSUB_OIDC_SERVICE_ACCOUNT") or None,
        "PUBSUB_OIDC_CERTS_URL": env.get("PUBSUB_OIDC_CERTS_URL") or GOOGLE_CERTS_URL,
        "SENSORS_PUSH_MAX_BYTES": _int(env, "SENSORS_PUSH_MAX_BYTES", 64 * 1024),
        "SENSORS_MAX_POINTS": _int(env, "SENSORS_MAX_POINTS", 10_000),
        "SENSORS_MAX_WINDOW_DAYS": _int(env, "SENSORS_MAX_WINDOW_DAYS", 400),
        "SENSORS_MAX_DOWNSAMPLED": _int(env, "SENSORS_MAX_DOWNSAMPLED", 5_000_000),
        "SENSORS_ROLLUP_ABOVE": _int(env, "SENSORS_ROLLUP_ABOVE", 100_000),
        "SENSORS_RETENTION_MONTHS": _int(env, "SENSORS_RETENTION_MONTHS", 0),
        "WEB_TILE_URL": env.get("WEB_TILE_URL", ""),
    }


def check_environment(name: str) -> str:
    """MOSAIC_ENV exactly as one of ENVIRONMENTS: a typo must not run production as development."""
    if name not in ENVIRONMENTS:
        raise RuntimeError(
            f"MOSAIC_ENV={name!r} is not one of {', '.join(ENVIRONMENTS)} (exact, lowercase)."
        )
    return name


def secret_weakness(secret: str) -> str | None:
    """Why `secret` is unfit for signing production tokens, or None when it is fit."""
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"shorter than {MIN_SECRET_BYTES} bytes"
    lowered = secret.lower()
    found = next((word for word in PLACEHOLDERS if word in lowered), None)
    if found:
        return f"it contains the placeholder word {found!r}"
    if (secret + secret).find(secret, 1) < len(secret):
        return "it is a shorter pattern repeated"
    bits = estimated_bits(secret)
    if bits < MIN_SECRET_BITS:
        return f"too little entropy (about {bits:.0f} bits, {MIN_SECRET_BITS} needed)"
    return None


def estimated_bits(secret: str) -> float:
    """Shannon entropy of the key's characters times its length: low for 'aaaa...' or '0123...'."""
    counts = [secret.count(char) for char in set(secret)]
    total = len(secret)
    per_char = -sum(n / total * math.log2(n / total) for n in counts)
    return per_char * total


# gunicorn's layout (gunicorn.conf.py; the table in docs/performance.md): one worker per core and
# two threads each. More workers than cores, or more threads, raised p99 at the same requests/s.
SERVER_THREADS = 2
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2
CGROUP_V1_CPU = Path("/sys/fs/cgroup/cpu")  # cgroup v1: cpu.cfs_quota_us, cpu.cfs_period_us


def cpu_quota(text: str) -> float | None:
    """The cores a cgroup v2 `cpu.max` ("QUOTA PERIOD", "max PERIOD") allows; None: no limit."""
    parts = text.split()
    if len(parts) != 2 or parts[0] == "max":
        return None
    return int(parts[0]) / int(parts[1])


def cpu_quota_v1(folder: Path) -> float | None:
    """The same from cgroup v1's CFS files in FOLDER (a quota of -1: no limit)."""
    quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="ascii"))
    period = int((folder / "cpu.cfs_period_us").read_text(encoding="ascii"))
    return quota / period if quota > 0 and period > 0 else None


def available_cores(quota_file: Path = CGROUP_CPU_MAX, *, v1_folder: Path = CGROUP_V1_CPU) -> int:
    """The cores this process may run on: its CPU affinity, capped by a container's CPU quota
    (cgroup v2's cpu.max, else cgroup v1's CFS quota: Docker's `cpus:` sets one or the other)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        quota = cpu_quota(quota_file.read_text(encoding="ascii"))
    except (OSError, ValueError):
        try:
            quota = cpu_quota_v1(v1_folder)
        except (OSError, ValueError):
            quota = None
    return max(1, min(cores or 1, math.ceil(quota) if quota else cores or 1))


def server_layout(env: Mapping[str, str], *, cores: int) -> tuple[int, int, str]:
    """gunicorn's workers, threads per worker and worker class: WEB_CONCURRENCY (default: one per
    core), GUNICORN_THREADS (default SERVER_THREADS), GUNICORN_WORKER_CLASS (default gthread)."""
    workers = _int(env, "WEB_CONCURRENCY", max(1, cores))
    threads = _int(env, "GUNICORN_THREADS", SERVER_THREADS)
    return workers, threads, env.get("GUNICORN_WORKER_CLASS") or "gthread"
