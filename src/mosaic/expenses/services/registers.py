"""Use cases of the registers: departments, projects and members (a name each)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from mosaic.expenses.domain import Register
from mosaic.expenses.repository import ExpensesUnitOfWork, RegisterRepository
from mosaic.expenses.services.rules import (
    DuplicateName,
    Problems,
    RecordNotFound,
    StillReferenced,
    pointer_prefix,
    unique_names,
)
from mosaic.platform.http import ensure_current, stale


class RegisterService:
    """The use cases of the three registers; each subclass names the one it serves."""

    kind = ""

    def __init__(
        self, uow: Callable[[], ExpensesUnitOfWork], *, on_change: Callable[[], None]
    ) -> None:
        self.uow, self.on_change = uow, on_change

    def _repository(self, uow: ExpensesUnitOfWork) -> RegisterRepository:
        return uow.registers(self.kind)

    def get_or_raise(self, register_id: int) -> Register:
        with self.uow() as uow:
            found = self._repository(uow).get(register_id)
        if found is None:
            raise RecordNotFound(self.kind, register_id)
        return found

    def list(self) -> list[Register]:
        with self.uow() as uow:
            return self._repository(uow).find()

    def create(self, fields: Mapping[str, Any]) -> Register:
        return self.create_many([fields], batch=False)[0]

    def create_many(
        self, items: Sequence[Mapping[str, Any]], *, batch: bool = True
    ) -> builtins.list[Register]:
        """All or nothing: one invalid or duplicate name and nothing is stored."""
        problems, drafts = Problems(), []
        for index, item in enumerate(items):
            with problems.collect(pointer_prefix(index, batch)):
                drafts.append(Register(name=item["name"]))
        problems.raise_any()
        with self.uow() as uow:
            repository = self._repository(uow)
            taken = repository.get_by_names(d.name for d in drafts)
            names = [d.name for d in drafts]
            for index, name in enumerate(names):
                if name in taken or name in names[:index]:
                    problems.add(pointer_prefix(index, batch) + "name", f"{name!r} is taken.")
            if taken and not batch:
                raise DuplicateName(self.kind, names[0])
            problems.raise_any()
            with unique_names(self.kind, names[0]):
                created = [repository.add(draft) for draft in drafts]
            uow.bump_revision()
            uow.commit()
        self.on_change()
        return created

    def update(
        self, register_id: int, changes: Mapping[str, Any], *, if_match: Collection[str]
    ) -> Register:
        with self.uow() as uow:
            repository = self._repository(uow)
            current = self._current(repository, register_id, if_match=if_match)
            problems = Problems()
            with problems.collect("#/"):
                changed = Register(name=changes["name"], id=current.id, version=current.version)
            problems.raise_any()
            other = repository.get_by_names([changed.name]).get(changed.name)
            if other is not None and other.id != current.id:
                raise DuplicateName(self.kind, changed.name)
            with unique_names(self.kind, changed.name):
                stored = repository.update(changed)
            if stored is None:
                raise stale(current.etag, what=self.kind)
            uow.bump_revision()
            uow.commit()
        self.on_change()
        return stored

    def delete(self, register_id: int, *, if_match: Collection[str]) -> None:
        with self.uow() as uow:
            repository = self._repository(uow)
            current = self._current(repository, register_id, if_match=if_match)
            if repository.is_referenced(register_id):
                raise StillReferenced(self.kind, register_id)
            if not repository.delete(current):
                raise stale(current.etag, what=self.kind)
            uow.bump_revision()
            uow.commit()
        self.on_change()

    def _current(
        self, repository: RegisterRepository, register_id: int, *, if_match: Collection[str]
    ) -> Register:
        current = repository.get(register_id)
        if current is None:
            raise RecordNotFound(self.kind, register_id)
        ensure_current(current.etag, if_match, what=self.kind)
        return current


class DepartmentService(RegisterService):
    kind = "department"


class ProjectService(RegisterService):
    kind = "project"


class MemberService(RegisterService):
    kind = "member"
