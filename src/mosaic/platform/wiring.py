"""What the platform hands to every bounded context, and the typed registry of app services.

Contexts `provide` their services in `init_app`; views, commands and callbacks fetch them by
type with `service(Kind)`: no string keys, no casts at the call sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, current_app

if TYPE_CHECKING:  # the platform's own modules use service() too: no import at run time
    from mosaic.platform.cache.store import ResultCache
    from mosaic.platform.db import Database
    from mosaic.platform.revisions import RevisionChannel

T = TypeVar("T")
EXTENSION = "mosaic.services"


@dataclass(frozen=True)
class Platform:
    database: Database
    cache: ResultCache
    revisions: RevisionChannel  # contexts `follow` their revision counters on it


def provide(app: Flask, *services: object) -> None:
    """Register each service under its class, and under its base classes not yet taken
    (a test's PinnedDatabase answers for Database)."""
    registry: dict[type, object] = app.extensions.setdefault(EXTENSION, {})
    for found in services:
        registry[type(found)] = found
        for base in type(found).__mro__[1:-1]:
            registry.setdefault(base, found)


def service(kind: type[T], app: Flask | None = None) -> T:
    """The instance of `kind` the app was wired with (the current app by default)."""
    found = (app or current_app).extensions[EXTENSION][kind]
    if not isinstance(found, kind):  # pragma: no cover - provide() keys by the exact type
        raise TypeError(f"{kind.__name__} is wired as {type(found).__name__}")
    return found
