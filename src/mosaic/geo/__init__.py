"""Geo context: Madrid's postal codes and the turnover of card payments in them."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform, provide

OPENAPI_TAGS = [
    {"name": "geo", "description": "Madrid postal codes and card-payment turnover."},
    {"name": "ogc", "description": "OGC API - Features (Core, GeoJSON) over the geo data."},
]


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the services and register the blueprint."""
    from mosaic.geo import queries
    from mosaic.geo.api import ogc, rest
    from mosaic.geo.repository import GeoUnitOfWork
    from mosaic.geo.services.seeding import GeoSeeding
    from mosaic.geo.services.turnover import TurnoverService

    database = platform.database
    # Read `database.sessions` at call time: tests swap it for a pinned session factory.
    seeding = GeoSeeding(lambda: GeoUnitOfWork(database.sessions))
    turnover = TurnoverService(
        queries.reading(database),
        revision=platform.revisions.follow(
            queries.turnover.REVISION_COUNTER, queries.revision(database)
        ),
        cache=platform.cache,
    )
    provide(app, turnover, seeding)
    app.register_blueprint(rest.blueprint)
    app.register_blueprint(ogc.blueprint)
