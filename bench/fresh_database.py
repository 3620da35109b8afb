"""Every bench run starts from the same state: its database dropped and created again (empty,
for alembic and the seeds), and, when given, its Redis database emptied (cached responses are
keyed by data revisions, which restart with the database).

    python bench/fresh_database.py DATABASE_URL [REDIS_URL]
"""

from __future__ import annotations

import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def fresh(database_url: str, redis_url: str | None = None) -> None:
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = url.database.replace('"', '""') if url.database else ""
    with admin.connect() as connection:  # (the bench's own database name, quoted)
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()


if __name__ == "__main__":
    fresh(*sys.argv[1:])
