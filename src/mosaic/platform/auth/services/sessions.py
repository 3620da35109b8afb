"""Logins, refreshes, logouts and the per-request session check; each owns its transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from mosaic.platform.auth.domain import SessionState, User
from mosaic.platform.auth.repository import AuthUnitOfWork
from mosaic.platform.auth.services.passwords import Passwords
from mosaic.platform.errors import Unauthorized

T = TypeVar("T")
SESSION_STATE_SECONDS = 60  # bounds a stale state written back by a read racing a change


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class TokenIssuer(Protocol):
    session_lifetime: timedelta

    def issue(self, user: User, *, session_id: str | None = None) -> TokenPair:
        """A new session's access and refresh tokens, or a new access token of `session_id`."""


class StateCache(Protocol):
    def get_or_compute(
        self, key: str, compute: Callable[[], T], *, timeout: int | None = None
    ) -> T: ...

    def delete(self, key: str) -> None: ...


class SessionStates:
    """Each user's SessionState, cached (Redis) and forgotten after every change that ends
    sessions, so the next request anywhere sees it."""

    def __init__(self, uow: Callable[[], AuthUnitOfWork], cache: StateCache) -> None:
        self.uow = uow
        self.cache = cache

    def get(self, username: str) -> SessionState:
        return self.cache.get_or_compute(
            f"auth:session:{username}", lambda: self._load(username), timeout=SESSION_STATE_SECONDS
        )

    def forget(self, username: str) -> None:
        self.cache.delete(f"auth:session:{username}")

    def _load(self, username: str) -> SessionState:
        with self.uow() as uow:
            user = uow.users.get_by_username(username)
            ended = uow.revoked_tokens.ended_for(username) if user else frozenset()
        return SessionState.of(user, ended=ended)


class AuthService:
    def __init__(
        self,
        uow: Callable[[], AuthUnitOfWork],
        passwords: Passwords,
        issuer: TokenIssuer,
        sessions: SessionStates,
    ) -> None:
        self.uow = uow
        self.passwords = passwords
        self.issuer = issuer
        self.sessions = sessions

    def login(self, username: str, password: str) -> TokenPair:
        with self.uow() as uow:
            user = uow.users.get_by_username(username)
        right = self.passwords.verify(user.password_hash if user else None, password)
        if not right or user is None or user.disabled:
            raise Unauthorized("The username or password is wrong.")
        return self.issuer.issue(user)

    def refresh(self, username: str, *, session_id: str) -> TokenPair:
        """A new access token of the same session, with the role as stored now."""
        with self.uow() as uow:
            user = uow.users.get_by_username(username)
        if user is None or user.disabled:
            raise Unauthorized("The account behind this token no longer exists or is disabled.")
        return self.issuer.issue(user, session_id=session_id)

    def logout(self, username: str, *, session_id: str) -> None:
        """End the session: its access and refresh tokens both stop working."""
        expires_at = datetime.now(UTC) + self.issuer.session_lifetime
        with self.uow() as uow:
            uow.revoked_tokens.add(session_id, expires_at=expires_at, username=username)
            uow.commit()
        self.sessions.forget(username)

    def admits(self, username: str, *, generation: int, session_id: str) -> bool:
        """Whether a token of this user, generation and session may still be used."""
        return self.sessions.get(username).admits(generation=generation, session_id=session_id)
