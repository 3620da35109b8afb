"""flask --app mosaic users create NAME --role viewer|editor|admin --password-stdin
flask --app mosaic users disable|enable|delete NAME, users set-role NAME ROLE"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click
from flask.cli import AppGroup

from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.services import UserService
from mosaic.platform.errors import MosaicError
from mosaic.platform.wiring import service

commands = AppGroup("users", help="Manage API users.")
ROLES = click.Choice([r.value for r in Role])


def _users() -> UserService:
    return service(UserService)


def _run(change: Callable[[], User | None]) -> User | None:
    """A service call; its refusal (unknown user, last admin, bad password) is a CLI error."""
    try:
        return change()
    except MosaicError as error:
        raise click.ClickException(error.detail) from error


@commands.command("create")
@click.argument("username")
@click.option("--role", type=ROLES, required=True)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
def create_user(username: str, role: str, password_stdin: bool) -> None:
    """Create USERNAME, or give an existing user the new role and password."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    try:
        user, created = _users().create_or_update(username, role=Role(role), password=password)
    except MosaicError as error:
        raise click.ClickException(error.detail) from error
    click.echo(f"{'created' if created else 'updated'} {user.username} ({user.role.value})")


@commands.command("disable")
@click.argument("username")
def disable_user(username: str) -> None:
    """Refuse USERNAME's logins and end all their sessions."""
    _run(lambda: _users().disable(username))
    click.echo(f"disabled {username}; their sessions have ended")


@commands.command("enable")
@click.argument("username")
def enable_user(username: str) -> None:
    """Let a disabled USERNAME log in again."""
    _run(lambda: _users().enable(username))
    click.echo(f"enabled {username}")


@commands.command("delete")
@click.argument("username")
def delete_user(username: str) -> None:
    """Delete USERNAME; their tokens stop working at once."""
    _run(lambda: _users().delete(username))
    click.echo(f"deleted {username}")


@commands.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLES)
def set_role(username: str, role: str) -> None:
    """Give USERNAME a new ROLE; their sessions end (they log in again with the new role)."""
    _run(lambda: _users().set_role(username, Role(role)))
    click.echo(f"{username} is now {role}; their sessions have ended")
