"""Persistence of users and revoked tokens; maps models to domain entities."""

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
        self.session.flush()
        return _to_entity(model)


class RevokedTokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, jti: str, *, expires_at: datetime) -> None:
        statement = insert(RevokedTokenModel).values(jti=jti, expires_at=expires_at)
        self.session.execute(statement.on_conflict_do_nothing(index_elements=["jti"]))
        # Expired entries can never match a valid token again: keep the table small.
        self.session.execute(
            delete(RevokedTokenModel).where(RevokedTokenModel.expires_at < func.now())
        )

    def contains(self, jti: str) -> bool:
        return self.session.get(RevokedTokenModel, jti) is not None


class AuthUnitOfWork(UnitOfWork):
    users: UserRepository
    revoked_tokens: RevokedTokenRepository

    def _start(self, session: Session) -> None:
        self.users = UserRepository(session)
        self.revoked_tokens = RevokedTokenRepository(session)
