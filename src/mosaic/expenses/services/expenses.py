"""Commands on expenses: create, change and delete, one at a time or in all-or-nothing batches.

Each returns the expense as finance reads it (ExpenseView: names, not ids), built from the
registers the command loaded to check the ids: no read after the write.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from mosaic.expenses.domain import Expense, ExpenseView, Register
from mosaic.expenses.repository import ExpensesUnitOfWork
from mosaic.expenses.services.rules import (
    KINDS,
    Problems,
    RecordNotFound,
    pointer_prefix,
)
from mosaic.platform.http import ensure_current, stale

Names = dict[str, dict[int, Register]]  # kind -> id -> register


def view_of(expense: Expense, names: Names) -> ExpenseView:
    assert expense.id is not None
    return ExpenseView(
        id=expense.id,
        department_id=expense.department_id,
        department=names["department"][expense.department_id].name,
        project_id=expense.project_id,
        project=names["project"][expense.project_id].name,
        member_id=expense.member_id,
        member=names["member"][expense.member_id].name,
        amount=expense.amount,
        currency=expense.currency,
        spent_on=expense.spent_on,
        description=expense.description,
        version=expense.version,
    )


def _registers(uow: ExpensesUnitOfWork, expenses: Sequence[Expense | None]) -> Names:
    wanted = [e for e in expenses if e is not None]
    return uow.registers_among({k: {getattr(e, f"{k}_id") for e in wanted} for k in KINDS})


def _check_references(
    drafts: Sequence[Expense | None], names: Names, problems: Problems, *, batch: bool
) -> None:
    for index, draft in enumerate(drafts):
        for kind in KINDS:
            wanted = getattr(draft, f"{kind}_id", None)
            if draft is not None and wanted not in names[kind]:
                problems.add(f"{pointer_prefix(index, batch)}{kind}_id", f"No {kind} {wanted}.")


class ExpenseService:
    def __init__(
        self, uow: Callable[[], ExpensesUnitOfWork], *, on_change: Callable[[], None]
    ) -> None:
        self.uow, self.on_change = uow, on_change

    def create(self, fields: Mapping[str, Any]) -> ExpenseView:
        return self.create_many([fields], batch=False)[0]

    def create_many(
        self, items: Sequence[Mapping[str, Any]], *, batch: bool = True
    ) -> list[ExpenseView]:
        """All or nothing; every item's errors come back at once (`#/3/amount`)."""
        problems = Problems()
        drafts = [
            self._draft(item, problems, pointer_prefix(i, batch)) for i, item in enumerate(items)
        ]
        with self.uow() as uow:
            names = _registers(uow, drafts)
            _check_references(drafts, names, problems, batch=batch)
            problems.raise_any()
            created = [uow.expenses.add(draft) for draft in drafts if draft is not None]
            uow.bump_revision()
            uow.commit()
        self.on_change()
        return [view_of(expense, names) for expense in created]

    def update(
        self, expense_id: int, changes: Mapping[str, Any], *, if_match: Collection[str]
    ) -> ExpenseView:
        return self._update([(expense_id, if_match, changes)], batch=False)[0]

    def update_many(self, items: Sequence[Mapping[str, Any]]) -> list[ExpenseView]:
        """Each item names `id` and the `version` it was based on, plus the fields to change."""
        return self._update(
            [
                (i["id"], _etag_set(i), {k: v for k, v in i.items() if k not in {"id", "version"}})
                for i in items
            ],
            batch=True,
        )

    def delete(self, expense_id: int, *, if_match: Collection[str]) -> None:
        self._delete([(expense_id, if_match)])

    def delete_many(self, items: Sequence[Mapping[str, Any]]) -> None:
        self._delete([(item["id"], _etag_set(item)) for item in items])

    @staticmethod
    def _draft(item: Mapping[str, Any], problems: Problems, prefix: str) -> Expense | None:
        with problems.collect(prefix):
            return Expense(**item)
        return None

    def _update(
        self,
        items: Sequence[tuple[int, Collection[str], Mapping[str, Any]]],
        *,
        batch: bool,
    ) -> list[ExpenseView]:
        problems = Problems()
        with self.uow() as uow:
            currents = [
                self._current(uow, expense_id, if_match) for expense_id, if_match, _ in items
            ]
            drafts = [
                self._changed(current, changes, problems, pointer_prefix(index, batch))
                for index, (current, (_, _, changes)) in enumerate(
                    zip(currents, items, strict=True)
                )
            ]
            names = _registers(uow, drafts)
            _check_references(drafts, names, problems, batch=batch)
            problems.raise_any()
            stored = []
            for current, draft in zip(currents, drafts, strict=True):
                assert draft is not None
                changed = uow.expenses.update(draft)
                if changed is None:
                    raise stale(current.etag, what="expense")
                stored.append(changed)
            uow.bump_revision()
            uow.commit()
        self.on_change()
        return [view_of(expense, names) for expense in stored]

    @staticmethod
    def _changed(
        current: Expense, changes: Mapping[str, Any], problems: Problems, prefix: str
    ) -> Expense | None:
        with problems.collect(prefix):
            return current.with_changes(changes)
        return None

    def _delete(self, items: Sequence[tuple[int, Collection[str]]]) -> None:
        with self.uow() as uow:
            for expense_id, if_match in items:
                current = self._current(uow, expense_id, if_match)
                if not uow.expenses.delete(current):
                    raise stale(current.etag, what="expense")
            uow.bump_revision()
            uow.commit()
        self.on_change()

    @staticmethod
    def _current(uow: ExpensesUnitOfWork, expense_id: int, if_match: Collection[str]) -> Expense:
        current = uow.expenses.get(expense_id)
        if current is None:
            raise RecordNotFound("expense", expense_id)
        ensure_current(current.etag, if_match, what=f"expense {expense_id}")
        return current


def _etag_set(item: Mapping[str, Any]) -> frozenset[str]:
    """A batch item's `version` as the ETag it stands for."""
    return frozenset({f"e-{item['id']}-v{item['version']}"})
