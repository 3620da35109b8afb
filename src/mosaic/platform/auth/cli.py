"""flask --app mosaic users create NAME --role viewer|editor|admin --password-stdin"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import UserService
from mosaic.platform.errors import RuleViolation
from mosaic.platform.wiring import service

commands = AppGroup("users", help="Manage API users.")


@commands.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
def create_user(username: str, role: str, password_stdin: bool) -> None:
    """Create USERNAME, or give an existing user the new role and password."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    try:
        user, created = service(UserService).create_or_update(
            username, role=Role(role), password=password
        )
    except RuleViolation as error:
        raise click.ClickException(error.detail) from error
    click.echo(f"{'created' if created else 'updated'} {user.username} ({user.role.value})")
