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
    """`token_generation` is in every token issued; bumping it ends all the user's sessions."""

    username: str
    role: Role
    password_hash: str
    id: int | None = None
    token_generation: int = 1
    disabled: bool = False

    @property
    def is_active_admin(self) -> bool:
        return self.role is Role.ADMIN and not self.disabled

    def end_sessions(self) -> None:
        self.token_generation += 1

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


@dataclass(frozen=True)
class SessionState:
    """What a token is checked against on every request (cached): a token of `generation`
    is valid for an enabled user unless its session was ended by a logout."""

    generation: int
    active: bool
    ended: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user: User | None, *, ended: frozenset[str] = frozenset()) -> SessionState:
        if user is None:
            return cls(generation=0, active=False)
        return cls(generation=user.token_generation, active=not user.disabled, ended=ended)

    def admits(self, *, generation: int, session_id: str) -> bool:
        return self.active and generation == self.generation and session_id not in self.ended
