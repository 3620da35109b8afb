"""What the platform hands to every bounded context when the app is built."""

from __future__ import annotations

from dataclasses import dataclass

from mosaic.platform.cache import ResultCache
from mosaic.platform.db import Database


@dataclass(frozen=True)
class Platform:
    database: Database
    cache: ResultCache
