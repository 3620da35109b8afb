"""Geo context: Madrid's postal codes and the turnover of card payments in them."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform, provide


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the services and register the blueprint."""
    from mosaic.geo.api import blueprint
    from mosaic.geo.repository import GeoUnitOfWork
    from mosaic.geo.seeding import GeoSeeding
    from mosaic.geo.services import TurnoverService

    database = platform.database
    # Read `database.sessions` at call time: tests swap it for a pinned session factory.
    seeding = GeoSeeding(lambda: GeoUnitOfWork(database.sessions))
    provide(app, TurnoverService(database, platform.cache), seeding)
    app.register_blueprint(blueprint)
