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
