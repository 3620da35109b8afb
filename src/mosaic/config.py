"""Settings read from the environment, with defaults fit for local development."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "postgresql+psycopg2://mosaic:mosaic@127.0.0.1:5432/mosaic"
DEFAULT_SEED_DATA_DIR = str(Path.cwd() / ".." / "shared" / "data")
MIN_SECRET_BYTES = 32


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
        "TILES_RATE_LIMIT": env.get("TILES_RATE_LIMIT", "3000 per minute"),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), default=True),
        "CACHE_DEFAULT_TIMEOUT": _int(env, "CACHE_DEFAULT_TIMEOUT", 300),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "SEED_DATA_DIR": env.get("SEED_DATA_DIR") or DEFAULT_SEED_DATA_DIR,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "PROXY_HOPS": _int(env, "PROXY_HOPS", 0),
        "CORS_ORIGINS": _list(env.get("CORS_ORIGINS")),
        "GIT_COMMIT": env.get("GIT_COMMIT") or None,
        "BUILD_TIME": env.get("BUILD_TIME") or None,
        "NUMBERS_PRICE_CEILING": env.get("NUMBERS_PRICE_CEILING") or "1000.00",
        "NUMBERS_LIST_STALENESS_MS": _int(env, "NUMBERS_LIST_STALENESS_MS", 0),
    }
