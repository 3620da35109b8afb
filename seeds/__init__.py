"""Seed loaders: idempotent `flask --app mosaic seed ...` commands that call the services.

Each context adds a module here and lists it in `LOADERS`; `seed all` runs them in order.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Load the datasets (idempotent; reads SEED_DATA_DIR).")

# Names of the `seed` subcommands that `seed all` runs, in order.
LOADERS: list[str] = ["geo", "numbers", "sensors"]


@seed_cli.command("all")
@click.pass_context
def seed_all(ctx: click.Context) -> None:
    """Run every loader in order."""
    for name in LOADERS:
        command = seed_cli.get_command(ctx, name)
        if command is not None:
            click.echo(f"seed {name}")
            ctx.invoke(command)
    click.echo("seeds loaded")


from seeds import geo as _geo  # noqa: E402,F401  # pylint: disable=wrong-import-position
from seeds import numbers as _numbers  # noqa: E402,F401  # pylint: disable=wrong-import-position
from seeds import sensors as _sensors  # noqa: E402,F401  # pylint: disable=wrong-import-position
