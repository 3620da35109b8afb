"""Users and tokens with a fake unit of work: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.services import AuthService, Passwords, TokenPair, UserService
from mosaic.platform.errors import RuleViolation, Unauthorized
from tests.fakes import FakeRevokedTokens, FakeUnitOfWork, FakeUsers


class FakeIssuer:
    def issue(self, user: User, *, with_refresh: bool = True) -> TokenPair:
        return TokenPair(f"access:{user.username}:{user.role}", "refresh" * with_refresh, 60)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(users=FakeUsers(), revoked_tokens=FakeRevokedTokens())


@pytest.fixture
def passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_roles_are_ordered_viewer_editor_admin() -> None:
    assert Role.ADMIN.allows(Role.EDITOR)
    assert Role.EDITOR.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.EDITOR)
    assert not Role.EDITOR.allows(Role.ADMIN)


def test_create_then_update_is_idempotent(uow: FakeUnitOfWork, passwords: Passwords) -> None:
    users = UserService(lambda: uow, passwords)  # type: ignore[arg-type,return-value]

    first, created = users.create_or_update("ana", role=Role.VIEWER, password="secret-pass-1")
    second, created_again = users.create_or_update("ana", role=Role.ADMIN, password="other-pass-2")

    assert (created, created_again) == (True, False)
    assert uow.committed
    assert uow.users.by_name["ana"].role is Role.ADMIN
    assert passwords.verify(second.password_hash, "other-pass-2")
    assert not passwords.verify(second.password_hash, "secret-pass-1")
    assert first.password_hash != second.password_hash


@pytest.mark.parametrize(
    ("username", "password"), [("x", "long-enough"), ("Ana Maria", "long-enough"), ("ana", "short")]
)
def test_refuses_bad_usernames_and_short_passwords(
    uow: FakeUnitOfWork, passwords: Passwords, username: str, password: str
) -> None:
    users = UserService(lambda: uow, passwords)  # type: ignore[arg-type,return-value]
    with pytest.raises(RuleViolation):
        users.create_or_update(username, role=Role.VIEWER, password=password)
    assert not uow.committed
    assert uow.users.by_name == {}


def test_login_issues_tokens_only_for_the_right_password(
    uow: FakeUnitOfWork, passwords: Passwords
) -> None:
    uow.users.save(User("ana", Role.EDITOR, passwords.hash("right-password")))
    auth = AuthService(lambda: uow, passwords, FakeIssuer())  # type: ignore[arg-type,return-value]

    assert auth.login("ana", "right-password").access_token == "access:ana:editor"
    with pytest.raises(Unauthorized):
        auth.login("ana", "wrong-password")
    with pytest.raises(Unauthorized):
        auth.login("nobody", "right-password")


def test_refresh_reads_the_current_role(uow: FakeUnitOfWork, passwords: Passwords) -> None:
    uow.users.save(User("ana", Role.ADMIN, passwords.hash("right-password")))
    auth = AuthService(lambda: uow, passwords, FakeIssuer())  # type: ignore[arg-type,return-value]
    uow.users.save(User("ana", Role.VIEWER, passwords.hash("right-password")))

    refreshed = auth.refresh("ana")

    assert refreshed.access_token == "access:ana:viewer"
    assert refreshed.refresh_token == ""
    with pytest.raises(Unauthorized):
        auth.refresh("deleted-user")


def test_revoke_records_the_token_and_commits(uow: FakeUnitOfWork, passwords: Passwords) -> None:
    auth = AuthService(lambda: uow, passwords, FakeIssuer())  # type: ignore[arg-type,return-value]
    assert not auth.is_revoked("jti-1")

    auth.revoke("jti-1", expires_at=datetime.now(UTC) + timedelta(minutes=5))

    assert uow.committed
    assert auth.is_revoked("jti-1")
