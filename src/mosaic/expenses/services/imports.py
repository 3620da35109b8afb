"""Loading expenses in the source file's format (expanses.csv): the seed and POST /import.

Every row is validated first (problems reported by line, nothing written); then the names are
resolved (new departments, projects and members created), rows already stored are skipped, and
the rest inserted, all in one transaction. A dry run does the same work and rolls it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mosaic.expenses.domain import Expense, Register, SourceExpense, source_expense
from mosaic.expenses.repository import ExpensesUnitOfWork
from mosaic.platform.datasets import DatasetRejected, SourceRow, parse_rows

Progress = Callable[[int], None]
CHUNK = 1000
PROBLEM = re.compile(r"^.*?:(\d+): (.*)$", re.DOTALL)


class ImportRejected(DatasetRejected):
    """Invalid rows: nothing written; `errors` lists each with its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.errors = [_by_line(problem) for problem in problems]


def _by_line(problem: str) -> dict[str, str]:
    found = PROBLEM.match(problem)
    if found is None:  # pragma: no cover - parse_rows always writes name:line: why
        return {"detail": problem}
    return {"pointer": f"line {found.group(1)}", "detail": found.group(2)}


@dataclass(frozen=True)
class ImportReport:
    rows: int
    inserted: int
    duplicates: int
    registers_created: int
    dry_run: bool


class ExpenseImport:
    def __init__(
        self, uow: Callable[[], ExpensesUnitOfWork], *, on_change: Callable[[], None]
    ) -> None:
        self.uow, self.on_change = uow, on_change

    def load(
        self,
        rows: Iterable[SourceRow],
        *,
        source: str,
        dry_run: bool = False,
        progress: Progress = lambda _n: None,
    ) -> ImportReport:
        parsed, problems = parse_rows(source, rows, source_expense)
        if problems:
            raise ImportRejected(problems)
        sources = [found for _line, found in parsed]
        with self.uow() as uow:
            ids, created = _resolve_names(uow, sources)
            fresh = _without_duplicates(uow, [_expense(s, ids) for s in sources])
            for start in range(0, len(fresh), CHUNK):
                progress(uow.expenses.add_many(fresh[start : start + CHUNK]))
            progress(len(sources) - len(fresh))
            if not dry_run and (fresh or created):
                uow.bump_revision()
                uow.commit()
        if not dry_run:
            self.on_change()
        return ImportReport(
            rows=len(sources),
            inserted=len(fresh),
            duplicates=len(sources) - len(fresh),
            registers_created=created,
            dry_run=dry_run,
        )


def _resolve_names(
    uow: ExpensesUnitOfWork, sources: list[SourceExpense]
) -> tuple[dict[str, dict[str, int]], int]:
    """kind -> name -> id, creating the registers the file names for the first time."""
    ids: dict[str, dict[str, int]] = {}
    created = 0
    for kind in ("department", "project", "member"):
        repository = uow.registers(kind)
        names = list(dict.fromkeys(getattr(s, kind) for s in sources))
        known = repository.get_by_names(names)
        for name in names:
            if name not in known:
                known[name] = repository.add(Register(name=name))
                created += 1
        ids[kind] = {name: register.id for name, register in known.items() if register.id}
    return ids, created


def _expense(found: SourceExpense, ids: dict[str, dict[str, int]]) -> Expense:
    return Expense(
        department_id=ids["department"][found.department],
        project_id=ids["project"][found.project],
        member_id=ids["member"][found.member],
        amount=found.amount,
        currency=found.currency,
        spent_on=found.spent_on,
    )


def _without_duplicates(uow: ExpensesUnitOfWork, expenses: list[Expense]) -> list[Expense]:
    """The expenses not stored yet (nor repeated earlier in the same file)."""
    seen = uow.expenses.natural_keys(e.spent_on for e in expenses)
    fresh = []
    for expense in expenses:
        if expense.natural_key not in seen:
            seen.add(expense.natural_key)
            fresh.append(expense)
    return fresh
