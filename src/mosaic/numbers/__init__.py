"""numbers: the DID phone-number inventory (issue 4), served as v1 (the frontend's mock) and v2."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask

from mosaic.platform.wiring import Platform, provide

OPENAPI_TAGS = [
    {"name": "numbers v1", "description": "DID numbers in the frontend's mock schema."},
    {"name": "numbers v2", "description": "DID numbers with Money prices and E.164 values."},
]


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the services on the platform's database and register both versions' blueprints."""
    from mosaic.numbers.api import v1, v2
    from mosaic.numbers.queries import PhoneNumberCatalog
    from mosaic.numbers.repository import NumbersUnitOfWork
    from mosaic.numbers.services import PhoneNumberService

    database = platform.database
    ceiling = Decimal(str(app.config.get("NUMBERS_PRICE_CEILING") or "1000.00"))
    staleness_s = int(app.config.get("NUMBERS_LIST_STALENESS_MS") or 0) / 1000
    catalog = PhoneNumberCatalog(
        database.reading,
        read_scalar=database.read_scalar,  # the revision, when it is read (not pushed)
        staleness_s=staleness_s,
    )
    platform.revisions.follow(catalog.REVISION_COUNTER, catalog.revision)  # pushed (or read)
    numbers = PhoneNumberService(
        lambda: NumbersUnitOfWork(database.sessions),
        ceiling=ceiling,
        on_change=catalog.revision.forget,
    )
    provide(app, catalog, numbers)
    for version in (v1, v2):
        app.register_blueprint(version.blueprint)
