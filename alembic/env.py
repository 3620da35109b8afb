"""Alembic environment: the URL from DATABASE_URL (or -x url=...), metadata from every context."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, func, pool, select

from mosaic.config import from_environment
from mosaic.contexts import metadata
from mosaic.platform.partitions import is_partition

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)

target_metadata = metadata()
# Tables that belong to the PostGIS extension, not to us.
EXTENSION_TABLES = {"spatial_ref_sys"}
# Replicas starting together each run `alembic upgrade head` (boot.sh): one migrates, the others
# wait on this transaction-scoped advisory lock, then find the database at head.
MIGRATION_LOCK = 7_310_421_650_001


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    ours_to_skip = name in EXTENSION_TABLES or is_partition(name)
    if type_ == "table" and reflected and compare_to is None and ours_to_skip:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def database_url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or str(
        from_environment()["DATABASE_URL"]
    )


def configure(**kwargs) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        target_metadata=target_metadata,
        include_object=include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
        compare_type=True,
        compare_server_default=False,
        **kwargs,
    )


def run_migrations_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # tests hand in their own connection
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        configure(connection=connection)
        with context.begin_transaction():
            connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
