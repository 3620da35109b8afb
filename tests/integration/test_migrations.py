"""Alembic owns the schema: up, down and up again on an empty database; no drift."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from mosaic.contexts import metadata
from tests.conftest import alembic_config, recreate_database


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
    if type_ == "table" and reflected and compare_to is None and name == "spatial_ref_sys":
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)
