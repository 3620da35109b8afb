"""A generic typed repository: one table model M mapped to one domain entity E.

A context subclasses it per entity and names the mapping both ways (`to_entity`, `columns`).
Writes are optimistic: `update` and `delete` touch the row only while it is still at the
entity's version, and `update` bumps it, so a concurrent change is noticed, never overwritten.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import DeclarativeBase, Session


class Versioned(Protocol):
    """What an entity stored by a Repository has."""

    @property
    def id(self) -> int | None: ...

    @property
    def version(self) -> int: ...


M = TypeVar("M", bound=DeclarativeBase)
E = TypeVar("E", bound=Versioned)


class Repository(Generic[M, E]):
    model: ClassVar[type[Any]]

    def __init__(self, session: Session) -> None:
        self.session = session

    def to_entity(self, model: M) -> E:
        raise NotImplementedError

    def columns(self, entity: E) -> dict[str, Any]:
        """The stored columns of `entity` (not id, version or timestamps)."""
        raise NotImplementedError

    def _column(self, name: str) -> ColumnElement[Any]:
        return getattr(self.model, name)  # type: ignore[no-any-return]

    def get(self, entity_id: int) -> E | None:
        found = self.session.get(self.model, entity_id)
        return self.to_entity(found) if found is not None else None

    def find(self, *conditions: ColumnElement[bool]) -> list[E]:
        statement = select(self.model).where(*conditions).order_by(self._column("id"))
        return [self.to_entity(model) for model in self.session.scalars(statement)]

    def add(self, entity: E) -> E:
        model = self.model(**self.columns(entity), version=1)
        self.session.add(model)
        self.session.flush()
        return self.to_entity(model)

    def update(self, entity: E) -> E | None:
        """Store `entity` if its row is still at `entity.version`; None if it changed since."""
        statement = (
            update(self.model)
            .where(self._column("id") == entity.id, self._column("version") == entity.version)
            .values(**self.columns(entity), version=self._column("version") + 1)
            .returning(self.model)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        model = self.session.scalars(statement).one_or_none()
        return self.to_entity(model) if model is not None else None

    def delete(self, entity: E) -> bool:
        """Delete `entity` if its row is still at `entity.version`."""
        statement = delete(self.model).where(
            self._column("id") == entity.id, self._column("version") == entity.version
        )
        return self.session.execute(statement).rowcount == 1  # type: ignore[attr-defined,no-any-return]
