"""Alembic owns the schema: up, down and up again on an empty database; no drift."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import make_url

from mosaic.contexts import metadata
from mosaic.platform.partitions import is_partition
from tests.conftest import ROOT, alembic_config, recreate_database


@pytest.fixture(scope="module")
def scratch_url(database_url: str) -> str:
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_migrations").render_as_string(hide_password=False)
    recreate_database(scratch)
    return scratch


def _run(url: str, direction: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names()) - {"spatial_ref_sys"}
    engine.dispose()
    return names


def test_head_base_head_on_an_empty_database(scratch_url: str) -> None:
    _run(scratch_url, "upgrade", "head")
    at_head = _tables(scratch_url)
    assert {"user", "revoked_token", "alembic_version"} <= at_head

    _run(scratch_url, "downgrade", "base")
    assert _tables(scratch_url) == {"alembic_version"}

    _run(scratch_url, "upgrade", "head")
    assert _tables(scratch_url) == at_head


def test_upgrade_head_twice_is_a_no_op(scratch_url: str) -> None:
    _run(scratch_url, "upgrade", "head")
    tables, version = _tables(scratch_url), _version(scratch_url)
    _run(scratch_url, "upgrade", "head")  # what the nightly job does on an up-to-date database
    assert (_tables(scratch_url), _version(scratch_url)) == (tables, version)
    assert version == ScriptDirectory.from_config(alembic_config(scratch_url)).get_current_head()


def _version(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return str(found)


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": _include_object,
            },
        )
        diff = compare_metadata(context, metadata())
    engine.dispose()
    assert diff == []


def _include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    skipped = name == "spatial_ref_sys" or is_partition(name)
    if type_ == "table" and reflected and compare_to is None and skipped:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def test_replicas_migrating_at_once_wait_for_one_another(database_url: str) -> None:
    """Every replica's boot.sh runs `alembic upgrade head` at the same moment on a new database.
    env.py serialises them on an advisory lock: while the test holds that lock none of three
    concurrent runs gets anywhere; released, one migrates and the others find the head."""
    url = make_url(database_url)
    fresh = url.set(database=f"{url.database}_race").render_as_string(hide_password=False)
    recreate_database(fresh)
    key = re.search(r"^MIGRATION_LOCK = ([0-9_]+)$", (ROOT / "alembic/env.py").read_text(), re.M)
    assert key, "alembic/env.py should define MIGRATION_LOCK"
    env = {**os.environ, "DATABASE_URL": fresh}
    engine = create_engine(fresh, isolation_level="AUTOCOMMIT")
    with engine.connect() as holder:
        holder.execute(select(func.pg_advisory_lock(int(key.group(1)))))
        runs = [
            subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(3)
        ]
        time.sleep(8)  # ample for three alembic runs to start and reach the lock
        assert [run.poll() for run in runs] == [None, None, None], "they should wait"
        assert not inspect(create_engine(fresh)).has_table("alembic_version")
        holder.execute(select(func.pg_advisory_unlock(int(key.group(1)))))
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    engine.dispose()
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert sum("Running upgrade  -> 0001" in output for output in outputs) == 1
