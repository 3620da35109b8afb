"""Use cases of user accounts; each owns its transaction and ends sessions it invalidates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mosaic.platform.auth.domain import InvalidUser, Role, User
from mosaic.platform.auth.repository import AuthUnitOfWork
from mosaic.platform.auth.services.passwords import Passwords
from mosaic.platform.auth.services.sessions import SessionStates
from mosaic.platform.errors import Conflict, NotFound, RuleViolation


class UserNotFound(NotFound):
    def __init__(self, username: str) -> None:
        super().__init__(f"No user is named '{username}'.")


class LastAdmin(Conflict):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"'{username}' is the last admin: make another user admin first, then retry."
        )


class UserService:
    def __init__(
        self, uow: Callable[[], AuthUnitOfWork], passwords: Passwords, sessions: SessionStates
    ) -> None:
        self.uow = uow
        self.passwords = passwords
        self.sessions = sessions

    def create_or_update(self, username: str, *, role: Role, password: str) -> tuple[User, bool]:
        """Create the user, or give an existing one the new role and password (ending its
        sessions)."""
        try:
            User.check_username(username)
            User.check_password(password)
        except InvalidUser as error:
            raise RuleViolation(str(error)) from error
        password_hash = self.passwords.hash(password)
        with self.uow() as uow:
            current = uow.users.get_by_username(username)
            if current is None:
                user = uow.users.save(User(username, role, password_hash))
            else:
                changed = replace(current, role=role, password_hash=password_hash)
                user = self._save_change(uow, current, changed)
            uow.commit()
        self.sessions.forget(username)
        return user, current is None

    def update(
        self, username: str, *, role: Role | None = None, disabled: bool | None = None
    ) -> User:
        """A new role or enabled state; either change ends the user's sessions."""
        with self.uow() as uow:
            current = self._get_or_raise(uow, username)
            changed = replace(
                current,
                role=current.role if role is None else role,
                disabled=current.disabled if disabled is None else disabled,
            )
            if changed == current:
                return current
            user = self._save_change(uow, current, changed)
            uow.commit()
        self.sessions.forget(username)
        return user

    def set_role(self, username: str, role: Role) -> User:
        return self.update(username, role=role)

    def disable(self, username: str) -> User:
        return self.update(username, disabled=True)

    def enable(self, username: str) -> User:
        return self.update(username, disabled=False)

    def delete(self, username: str) -> None:
        with self.uow() as uow:
            current = self._get_or_raise(uow, username)
            _refuse_removing_the_last_admin(uow, current, after=None)
            uow.users.delete(current)
            uow.commit()
        self.sessions.forget(username)

    @staticmethod
    def _get_or_raise(uow: AuthUnitOfWork, username: str) -> User:
        user = uow.users.get_by_username(username)
        if user is None:
            raise UserNotFound(username)
        return user

    @staticmethod
    def _save_change(uow: AuthUnitOfWork, current: User, changed: User) -> User:
        _refuse_removing_the_last_admin(uow, current, after=changed)
        changed.end_sessions()
        return uow.users.save(changed)


def _refuse_removing_the_last_admin(
    uow: AuthUnitOfWork, current: User, *, after: User | None
) -> None:
    if not current.is_active_admin or (after is not None and after.is_active_admin):
        return
    if uow.users.lock_active_admins() == [current.username]:
        raise LastAdmin(current.username)
