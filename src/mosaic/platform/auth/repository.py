"""Persistence of users and ended sessions; maps models to domain entities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.models import RevokedTokenModel, UserModel
from mosaic.platform.db import UnitOfWork


def _to_entity(model: UserModel) -> User:
    return User(
        id=model.id,
        username=model.username,
        role=Role(model.role),
        password_hash=model.password_hash,
        token_generation=model.token_generation,
        disabled=model.disabled,
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_username(self, username: str) -> User | None:
        model = self.session.scalar(select(UserModel).where(UserModel.username == username))
        return _to_entity(model) if model else None

    def save(self, user: User) -> User:
        model = self.session.scalar(select(UserModel).where(UserModel.username == user.username))
        if model is None:
            model = UserModel(username=user.username)
            self.session.add(model)
        model.role = user.role.value
        model.password_hash = user.password_hash
        model.token_generation = user.token_generation
        model.disabled = user.disabled
        self.session.flush()
        return _to_entity(model)

    def delete(self, user: User) -> None:
        self.session.execute(delete(UserModel).where(UserModel.username == user.username))

    def lock_active_admins(self) -> list[str]:
        """The enabled admins' names, their rows locked: two admins stepping down at once
        take turns, so one of them is always refused as the last."""
        statement = (
            select(UserModel.username)
            .where(UserModel.role == Role.ADMIN.value, UserModel.disabled.is_(False))
            .order_by(UserModel.id)
            .with_for_update()
        )
        return list(self.session.scalars(statement))


class RevokedTokenRepository:
    """Sessions ended by a logout, by session id, kept until their tokens would have expired."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, jti: str, *, expires_at: datetime, username: str | None = None) -> None:
        statement = insert(RevokedTokenModel).values(
            jti=jti, expires_at=expires_at, username=username
        )
        self.session.execute(statement.on_conflict_do_nothing(index_elements=["jti"]))
        # Expired entries can never match a valid token again: keep the table small.
        self.session.execute(
            delete(RevokedTokenModel).where(RevokedTokenModel.expires_at < func.now())
        )

    def contains(self, jti: str) -> bool:
        return self.session.get(RevokedTokenModel, jti) is not None

    def ended_for(self, username: str) -> frozenset[str]:
        """The user's sessions ended by a logout and not expired yet."""
        statement = select(RevokedTokenModel.jti).where(
            RevokedTokenModel.username == username, RevokedTokenModel.expires_at >= func.now()
        )
        return frozenset(self.session.scalars(statement))


class AuthUnitOfWork(UnitOfWork):
    users: UserRepository
    revoked_tokens: RevokedTokenRepository

    def _start(self, session: Session) -> None:
        self.users = UserRepository(session)
        self.revoked_tokens = RevokedTokenRepository(session)
