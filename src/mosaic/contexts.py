"""The bounded contexts, in the order their blueprints are registered.

Each module listed exposes `init_app(app, platform)`.
"""

from __future__ import annotations

from types import ModuleType

from mosaic import geo, numbers, sensors

ALL: list[ModuleType] = [geo, numbers, sensors]
