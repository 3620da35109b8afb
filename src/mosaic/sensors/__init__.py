"""sensors: Pub/Sub push ingestion of sensor readings, line-chart series and KPIs (issue 11)."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the services, register the blueprint and the `sensors` commands."""
    from mosaic.sensors import api
    from mosaic.sensors.cli import sensors_cli
    from mosaic.sensors.repository import SensorsUnitOfWork
    from mosaic.sensors.services.ingestion import IngestionService
    from mosaic.sensors.services.push_auth import CertificateCache, PushAuthenticator
    from mosaic.sensors.services.readings import Caps, ReadingsService

    config, database = app.config, platform.database
    authenticator = PushAuthenticator(
        verification_token=config["PUBSUB_VERIFICATION_TOKEN"],
        audience=config["PUBSUB_OIDC_AUDIENCE"],
        service_account=config["PUBSUB_OIDC_SERVICE_ACCOUNT"],
        certificates=CertificateCache(config["PUBSUB_OIDC_CERTS_URL"]),
    )
    # Read `database.sessions` at call time: tests swap it for a pinned session factory.
    app.extensions["mosaic.sensors.ingestion"] = IngestionService(
        lambda: SensorsUnitOfWork(database.sessions), authenticator=authenticator
    )
    app.extensions["mosaic.sensors.readings"] = ReadingsService(
        database.reading,
        caps=Caps(
            max_days=config["SENSORS_MAX_WINDOW_DAYS"],
            max_points=config["SENSORS_MAX_POINTS"],
            max_downsampled=config["SENSORS_MAX_DOWNSAMPLED"],
        ),
    )
    app.register_blueprint(api.blueprint)
    limiter = app.extensions.get("mosaic.limiter")
    if limiter is not None:  # Pub/Sub pushes from few addresses: a per-IP limit would drop them
        limiter.exempt(api.receive_push)
    app.cli.add_command(sensors_cli)
