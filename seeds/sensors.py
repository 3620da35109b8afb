"""flask --app mosaic seed sensors: the command lives with its context (mosaic.sensors.cli)."""

from __future__ import annotations

from mosaic.sensors.cli.seed import seed_command
from seeds import seed_cli

seed_cli.add_command(seed_command)
