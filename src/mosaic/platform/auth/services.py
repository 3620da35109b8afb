"""Use cases of users and tokens; each owns its transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mosaic.platform.auth.domain import InvalidUser, Role, User
from mosaic.platform.auth.repository import AuthUnitOfWork
from mosaic.platform.errors import RuleViolation, Unauthorized


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class TokenIssuer(Protocol):
    def issue(self, user: User, *, with_refresh: bool = True) -> TokenPair: ...


class Passwords:
    """argon2id hashes; verifying an unknown user still costs a hash, so timing reveals nothing."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._decoy = self._hasher.hash("decoy-password-for-unknown-users")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False


class UserService:
    def __init__(self, uow: Callable[[], AuthUnitOfWork], passwords: Passwords) -> None:
        self.uow = uow
        self.passwords = passwords

    def create_or_update(self, username: str, *, role: Role, password: str) -> tuple[User, bool]:
        """Create the user, or give an existing one the new role and password."""
        try:
            User.check_username(username)
            User.check_password(password)
        except InvalidUser as error:
            raise RuleViolation(str(error)) from error
        with self.uow() as uow:
            existed = uow.users.get_by_username(username) is not None
            user = uow.users.save(
                User(username=username, role=role, password_hash=self.passwords.hash(password))
            )
            uow.commit()
        return user, not existed


class AuthService:
    def __init__(
        self, uow: Callable[[], AuthUnitOfWork], passwords: Passwords, issuer: TokenIssuer
    ) -> None:
        self.uow = uow
        self.passwords = passwords
        self.issuer = issuer

    def login(self, username: str, password: str) -> TokenPair:
        with self.uow() as uow:
            user = uow.users.get_by_username(username)
        if not self.passwords.verify(user.password_hash if user else None, password) or not user:
            raise Unauthorized("The username or password is wrong.")
        return self.issuer.issue(user)

    def refresh(self, username: str) -> TokenPair:
        """A new access token with the role as stored now (a demotion takes effect here)."""
        with self.uow() as uow:
            user = uow.users.get_by_username(username)
        if user is None:
            raise Unauthorized("The account behind this token no longer exists.")
        return self.issuer.issue(user, with_refresh=False)

    def revoke(self, jti: str, *, expires_at: datetime) -> None:
        with self.uow() as uow:
            uow.revoked_tokens.add(jti, expires_at=expires_at)
            uow.commit()

    def is_revoked(self, jti: str) -> bool:
        with self.uow() as uow:
            return uow.revoked_tokens.contains(jti)
