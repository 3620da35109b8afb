"""The one registry of bounded contexts, in the order they are wired, migrated and seeded.

Each module listed exposes `init_app(app, platform)`. By convention a context may also have
`models` (its tables; Alembic's env imports them) and `cli` (`seed`: its loader under
`flask seed`, run in this order by `seed all`; `commands`: a command group of its own).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from sqlalchemy import MetaData

from mosaic import geo, numbers
from mosaic.platform import auth
from mosaic.platform.db import Base

ALL: list[ModuleType] = [auth, geo, numbers]


def submodules(name: str) -> Iterator[ModuleType]:
    """Each context's submodule `name` (e.g. "models", "cli"), for the contexts that have one."""
    for context in ALL:
        qualified = f"{context.__name__}.{name}"
        if importlib.util.find_spec(qualified) is not None:
            yield importlib.import_module(qualified)


def metadata() -> MetaData:
    """Every table of every context: what Alembic migrates and compares against."""
    for _models in submodules("models"):
        pass  # importing a models module registers its tables on Base.metadata
    return Base.metadata
