"""Users and roles: plain Python, no framework imports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 8


class Role(StrEnum):
    """viewer < editor < admin: each role may do what the lower ones may."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, required: Role) -> bool:
        return self.rank >= required.rank


class InvalidUser(ValueError):
    """A username or password that the rules refuse."""


@dataclass
class User:
    username: str
    role: Role
    password_hash: str
    id: int | None = None

    @staticmethod
    def check_username(username: str) -> str:
        if not USERNAME_PATTERN.match(username):
            raise InvalidUser(
                "A username is 3-64 characters: lowercase letters, digits, '.', '_' or '-'."
            )
        return username

    @staticmethod
    def check_password(password: str) -> str:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidUser(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
        return password
