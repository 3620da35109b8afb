"""Persistence of expenses and their registers on the generic typed Repository, and the UoW."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import exists, insert, literal, select, union_all, update
from sqlalchemy.orm import Session

from mosaic.expenses.domain import Expense, Register
from mosaic.expenses.models import (
    DepartmentModel,
    ExpenseModel,
    ExpenseRevisionModel,
    MemberModel,
    ProjectModel,
)
from mosaic.platform.db import UnitOfWork
from mosaic.platform.repository import Repository

RegisterModel = DepartmentModel | ProjectModel | MemberModel


class RegisterRepository(Repository[Any, Register]):
    """A register of names (departments, projects or members) that expenses point at."""

    def __init__(self, session: Session, model: type[RegisterModel]) -> None:
        super().__init__(session)
        self.model = model  # type: ignore[misc]
        self.kind = model.__tablename__

    def to_entity(self, model: Any) -> Register:
        return Register(id=model.id, name=model.name, version=model.version)

    def columns(self, entity: Register) -> dict[str, Any]:
        return {"name": entity.name}

    def get_by_names(self, names: Iterable[str]) -> dict[str, Register]:
        return {r.name: r for r in self.find(self.model.name.in_(list(names)))}

    def is_referenced(self, register_id: int) -> bool:
        """Whether an expense still points at the register."""
        column = getattr(ExpenseModel, f"{self.kind}_id")
        return bool(self.session.scalar(select(exists().where(column == register_id))))


class ExpenseRepository(Repository[ExpenseModel, Expense]):
    model = ExpenseModel

    def to_entity(self, model: ExpenseModel) -> Expense:
        return Expense(
            id=model.id,
            department_id=model.department_id,
            project_id=model.project_id,
            member_id=model.member_id,
            amount=model.amount,
            currency=model.currency,
            spent_on=model.spent_on,
            description=model.description,
            version=model.version,
        )

    def columns(self, entity: Expense) -> dict[str, Any]:
        return {
            "department_id": entity.department_id,
            "project_id": entity.project_id,
            "member_id": entity.member_id,
            "amount": entity.amount,
            "currency": entity.currency,
            "spent_on": entity.spent_on,
            "description": entity.description,
        }

    def add_many(self, expenses: Iterable[Expense]) -> int:
        """Insert many at once (seeds and imports): one round trip per thousand rows."""
        rows = [self.columns(expense) for expense in expenses]
        if rows:
            self.session.execute(insert(ExpenseModel), rows)
        return len(rows)

    def natural_keys(self, days: Iterable[date]) -> set[tuple[Any, ...]]:
        """The natural keys (see Expense.natural_key) of the expenses spent on `days`."""
        return {e.natural_key for e in self.find(ExpenseModel.spent_on.in_(set(days)))}


class ExpensesUnitOfWork(UnitOfWork):
    departments: RegisterRepository
    projects: RegisterRepository
    members: RegisterRepository
    expenses: ExpenseRepository

    def _start(self, session: Session) -> None:
        self.departments = RegisterRepository(session, DepartmentModel)
        self.projects = RegisterRepository(session, ProjectModel)
        self.members = RegisterRepository(session, MemberModel)
        self.expenses = ExpenseRepository(session)

    def registers(self, kind: str) -> RegisterRepository:
        return {"department": self.departments, "project": self.projects, "member": self.members}[
            kind
        ]

    def registers_among(
        self, wanted: Mapping[str, Iterable[int]]
    ) -> dict[str, dict[int, Register]]:
        """The stored registers among the ids wanted of each kind, by kind and id, in one query
        (a UNION ALL over the register tables) instead of one per kind."""
        found: dict[str, dict[int, Register]] = {kind: {} for kind in wanted}
        parts = []
        for kind, ids in wanted.items():
            model = self.registers(kind).model
            columns = (literal(kind).label("kind"), model.id, model.name, model.version)
            parts.append(select(*columns).where(model.id.in_(list(ids))))
        if parts:
            for row in self.session.execute(union_all(*parts)):
                found[row.kind][row.id] = self.registers(row.kind).to_entity(row)
        return found

    def bump_revision(self) -> None:
        """Count a change, in the change's transaction: cached reads of before expire."""
        revision = ExpenseRevisionModel.revision
        self.session.execute(update(ExpenseRevisionModel).values(revision=revision + 1))
