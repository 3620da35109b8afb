"""sensors: Pub/Sub push ingestion of sensor readings, line-chart series and KPIs (issue 11)."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform, provide

OPENAPI_TAGS = [
    {
        "name": "sensors",
        "description": "Pub/Sub push ingestion of sensor readings, dwell-time series and KPIs.",
    }
]


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the services and register the blueprint (the commands are in `cli`)."""
    from mosaic.sensors import api
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
    caps = Caps(
        max_days=config["SENSORS_MAX_WINDOW_DAYS"],
        max_points=config["SENSORS_MAX_POINTS"],
        max_downsampled=config["SENSORS_MAX_DOWNSAMPLED"],
        rollup_above=config["SENSORS_ROLLUP_ABOVE"],
    )
    # Read `database.sessions` at call time: tests swap it for a pinned session factory.
    provide(
        app,
        IngestionService(lambda: SensorsUnitOfWork(database.sessions), authenticator=authenticator),
        ReadingsService(database.reading, caps=caps),
    )
    app.register_blueprint(api.blueprint)
