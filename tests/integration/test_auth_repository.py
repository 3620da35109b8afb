"""Users and the token blocklist on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.models import RevokedTokenModel, UserModel
from mosaic.platform.auth.repository import RevokedTokenRepository, UserRepository


def test_save_inserts_then_updates_one_row(session: Session) -> None:
    users = UserRepository(session)
    users.save(User("ana", Role.VIEWER, "hash-1"))
    users.save(User("ana", Role.ADMIN, "hash-2"))

    assert session.scalar(select(func.count()).select_from(UserModel)) == 1
    found = users.get_by_username("ana")
    assert found is not None
    assert (found.role, found.password_hash) == (Role.ADMIN, "hash-2")
    assert found.id is not None
    assert users.get_by_username("bea") is None


def test_the_database_refuses_an_unknown_role(session: Session) -> None:
    session.add(UserModel(username="eve", password_hash="h", role="superuser"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_revoked_tokens_are_found_and_expired_ones_purged(session: Session) -> None:
    tokens = RevokedTokenRepository(session)
    now = datetime.now(UTC)
    session.add(RevokedTokenModel(jti="old", expires_at=now - timedelta(days=1)))
    session.flush()

    tokens.add("fresh", expires_at=now + timedelta(hours=1))
    tokens.add("fresh", expires_at=now + timedelta(hours=1))  # twice is fine

    assert tokens.contains("fresh")
    assert not tokens.contains("old")
    assert not tokens.contains("never-issued")


def test_generation_and_disabled_round_trip_and_delete(session: Session) -> None:
    users = UserRepository(session)
    saved = users.save(User("ana", Role.ADMIN, "h", token_generation=4, disabled=True))
    assert (saved.token_generation, saved.disabled) == (4, True)
    fresh = users.save(User("bea", Role.VIEWER, "h"))
    assert (fresh.token_generation, fresh.disabled) == (1, False)
    users.delete(saved)
    assert users.get_by_username("ana") is None


def test_active_admins_exclude_disabled_and_lower_roles(session: Session) -> None:
    users = UserRepository(session)
    users.save(User("root", Role.ADMIN, "h"))
    users.save(User("off", Role.ADMIN, "h", disabled=True))
    users.save(User("ed", Role.EDITOR, "h"))
    assert users.lock_active_admins() == ["root"]


def test_ended_sessions_are_found_by_user_until_they_expire(session: Session) -> None:
    tokens = RevokedTokenRepository(session)
    now = datetime.now(UTC)
    tokens.add("s1", expires_at=now + timedelta(days=7), username="ana")
    tokens.add("s2", expires_at=now + timedelta(days=7), username="bea")
    session.add(RevokedTokenModel(jti="s0", expires_at=now - timedelta(days=1), username="ana"))
    session.flush()
    assert tokens.ended_for("ana") == frozenset({"s1"})
