"""An app with both push authentications configured (the OIDC certificates from a file the test
writes), on the test's rolled-back transaction, and row counts of the sensors tables."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, func, select

from mosaic import create_app
from mosaic.sensors.models import MessageModel, QuarantineModel, ReadingModel
from tests.conftest import PinnedDatabase, app_config
from tests.support.sensors import AUDIENCE, SERVICE_ACCOUNT, TOKEN, Signer


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.make()


@pytest.fixture(scope="module")
def push_app(
    signer: Signer, pinned_database: PinnedDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Flask:
    certs_url = signer.publish(tmp_path_factory.mktemp("certs"))
    config = app_config(
        PUBSUB_VERIFICATION_TOKEN=TOKEN,
        PUBSUB_OIDC_AUDIENCE=AUDIENCE,
        PUBSUB_OIDC_SERVICE_ACCOUNT=SERVICE_ACCOUNT,
        PUBSUB_OIDC_CERTS_URL=certs_url,
        SENSORS_PUSH_MAX_BYTES=4096,
        SENSORS_MAX_POINTS=500,
        SENSORS_MAX_WINDOW_DAYS=30,
        SENSORS_ROLLUP_ABOVE=100,
    )
    return create_app(config, database=pinned_database)


@pytest.fixture
def pusher(push_app: Flask, app: Flask) -> FlaskClient:
    """A client of push_app; `app` pins the shared database to this test's transaction."""
    assert app is not push_app
    return push_app.test_client()


def readings(connection: Connection, *message_ids: str) -> int:
    statement = select(func.count()).select_from(ReadingModel)
    if message_ids:
        statement = statement.where(ReadingModel.message_id.in_(message_ids))
    return int(connection.scalar(statement) or 0)


def messages(connection: Connection, *message_ids: str) -> int:
    statement = select(func.count()).select_from(MessageModel)
    if message_ids:
        statement = statement.where(MessageModel.message_id.in_(message_ids))
    return int(connection.scalar(statement) or 0)


def quarantined(connection: Connection, *message_ids: str) -> int:
    statement = select(func.count()).select_from(QuarantineModel)
    if message_ids:
        statement = statement.where(QuarantineModel.message_id.in_(message_ids))
    return int(connection.scalar(statement) or 0)
