"""The command line of the app: each context's commands, and `flask seed` gathering their loaders.

`flask --app mosaic seed all` runs every context's `seed` in the order of `contexts.ALL`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

import click
from flask import Flask
from flask.cli import AppGroup


def register_commands(app: Flask, context_clis: Iterable[ModuleType]) -> None:
    """Add each context's `commands` group, and its `seed` command under `flask seed`."""
    seed = AppGroup("seed", help="Load the datasets (idempotent; reads SEED_DATA_DIR).")
    loaders: list[click.Command] = []
    for module in context_clis:
        if isinstance(getattr(module, "commands", None), click.Group):
            app.cli.add_command(module.commands)
        if isinstance(getattr(module, "seed", None), click.Command):
            loaders.append(module.seed)
            seed.add_command(module.seed)

    @seed.command("all")
    @click.pass_context
    def seed_all(ctx: click.Context) -> None:
        """Run every loader in order."""
        for loader in loaders:
            click.echo(f"seed {loader.name}")
            ctx.invoke(loader)
        click.echo("seeds loaded")

    app.cli.add_command(seed)
