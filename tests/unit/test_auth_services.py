"""Users and tokens with a fake unit of work: no database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher

from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.services import (
    AuthService,
    LastAdmin,
    Passwords,
    SessionStates,
    TokenPair,
    UserService,
)
from mosaic.platform.cache import Uncached
from mosaic.platform.errors import RuleViolation, Unauthorized
from tests.fakes import FakeRevokedTokens, FakeUnitOfWork, FakeUsers


class FakeIssuer:
    session_lifetime = timedelta(days=7)

    def issue(self, user: User, *, session_id: str | None = None) -> TokenPair:
        refresh = "" if session_id else f"refresh:{user.token_generation}"
        return TokenPair(f"access:{user.username}:{user.role}", refresh, 60)


class CountingCache(Uncached):
    """Keeps values like a cache would and records what was forgotten."""

    def __init__(self) -> None:
        self.kept: dict[str, Any] = {}
        self.deleted: list[str] = []

    def get_or_compute(
        self, key: str, compute: Callable[[], Any], *, timeout: int | None = None
    ) -> Any:
        if key not in self.kept:
            self.kept[key] = compute()
        return self.kept[key]

    def delete(self, key: str) -> None:
        self.deleted.append(key)
        self.kept.pop(key, None)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(users=FakeUsers(), revoked_tokens=FakeRevokedTokens())


@pytest.fixture
def passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def cache() -> CountingCache:
    return CountingCache()


@pytest.fixture
def sessions(uow: FakeUnitOfWork, cache: CountingCache) -> SessionStates:
    return SessionStates(lambda: uow, cache)  # type: ignore[arg-type,return-value]


@pytest.fixture
def users(uow: FakeUnitOfWork, passwords: Passwords, sessions: SessionStates) -> UserService:
    return UserService(lambda: uow, passwords, sessions)  # type: ignore[arg-type,return-value]


@pytest.fixture
def auth(uow: FakeUnitOfWork, passwords: Passwords, sessions: SessionStates) -> AuthService:
    return AuthService(lambda: uow, passwords, FakeIssuer(), sessions)  # type: ignore[arg-type,return-value]


def test_roles_are_ordered_viewer_editor_admin() -> None:
    assert Role.ADMIN.allows(Role.EDITOR)
    assert Role.EDITOR.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.EDITOR)
    assert not Role.EDITOR.allows(Role.ADMIN)


def test_create_then_update_is_idempotent(
    uow: FakeUnitOfWork, passwords: Passwords, users: UserService
) -> None:
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
    uow: FakeUnitOfWork, users: UserService, username: str, password: str
) -> None:
    with pytest.raises(RuleViolation):
        users.create_or_update(username, role=Role.VIEWER, password=password)
    assert not uow.committed
    assert uow.users.by_name == {}


def test_login_issues_tokens_only_for_the_right_password_of_an_enabled_user(
    uow: FakeUnitOfWork, passwords: Passwords, auth: AuthService, users: UserService
) -> None:
    uow.users.save(User("ana", Role.EDITOR, passwords.hash("right-password")))

    assert auth.login("ana", "right-password").access_token == "access:ana:editor"
    with pytest.raises(Unauthorized):
        auth.login("ana", "wrong-password")
    with pytest.raises(Unauthorized):
        auth.login("nobody", "right-password")
    users.disable("ana")
    with pytest.raises(Unauthorized):
        auth.login("ana", "right-password")


def test_refresh_reads_the_current_role(
    uow: FakeUnitOfWork, passwords: Passwords, auth: AuthService
) -> None:
    uow.users.save(User("ana", Role.ADMIN, passwords.hash("right-password")))
    uow.users.save(User("ana", Role.VIEWER, passwords.hash("right-password")))

    refreshed = auth.refresh("ana", session_id="s1")

    assert refreshed.access_token == "access:ana:viewer"
    assert refreshed.refresh_token == ""
    with pytest.raises(Unauthorized):
        auth.refresh("deleted-user", session_id="s1")


@pytest.mark.parametrize(
    "change",
    [
        lambda users: users.create_or_update("ana", role=Role.EDITOR, password="a-new-password"),
        lambda users: users.set_role("ana", Role.VIEWER),
        lambda users: users.disable("ana"),
        lambda users: users.delete("ana"),
    ],
    ids=["password", "role", "disable", "delete"],
)
def test_every_account_change_ends_the_sessions_and_forgets_the_cached_state(
    users: UserService,
    auth: AuthService,
    cache: CountingCache,
    change: Callable[[UserService], object],
) -> None:
    users.create_or_update("ana", role=Role.EDITOR, password="first-password")
    generation = auth.sessions.get("ana").generation
    assert auth.admits("ana", generation=generation, session_id="s1")

    change(users)

    assert "auth:session:ana" in cache.deleted
    assert not auth.admits("ana", generation=generation, session_id="s1")


def test_logout_ends_that_session_only(
    uow: FakeUnitOfWork, users: UserService, auth: AuthService, cache: CountingCache
) -> None:
    users.create_or_update("ana", role=Role.EDITOR, password="first-password")
    assert auth.admits("ana", generation=1, session_id="s1")

    auth.logout("ana", session_id="s1")

    assert uow.committed
    assert not auth.admits("ana", generation=1, session_id="s1")
    assert auth.admits("ana", generation=1, session_id="s2")


@pytest.mark.parametrize(
    "change",
    [
        lambda users: users.set_role("root", Role.EDITOR),
        lambda users: users.disable("root"),
        lambda users: users.delete("root"),
        lambda users: users.create_or_update("root", role=Role.VIEWER, password="long-enough"),
    ],
    ids=["demote", "disable", "delete", "put"],
)
def test_the_last_admin_stays(
    uow: FakeUnitOfWork, users: UserService, change: Callable[[UserService], object]
) -> None:
    uow.users.save(User("root", Role.ADMIN, "hash"))
    with pytest.raises(LastAdmin):
        change(users)
    assert uow.users.by_name["root"].is_active_admin
    uow.users.save(User("deputy", Role.ADMIN, "hash"))
    change(users)
