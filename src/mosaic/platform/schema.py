"""The full metadata Alembic compares against: the platform's models and every context's."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

from mosaic.platform.db import Base

MODEL_MODULES = ["mosaic.platform.auth.models"]
CONTEXT_PACKAGES = ["mosaic.geo", "mosaic.expenses", "mosaic.numbers", "mosaic.sensors"]


def load_metadata() -> MetaData:
    for module in MODEL_MODULES:
        importlib.import_module(module)
    for package in CONTEXT_PACKAGES:
        found = importlib.import_module(package)
        if any(m.name == "models" for m in pkgutil.iter_modules(found.__path__)):
            importlib.import_module(f"{package}.models")
    return Base.metadata
