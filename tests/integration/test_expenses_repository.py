"""The expenses unit of work on real PostgreSQL (one rolled-back transaction per test)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mosaic.expenses.domain import Register
from mosaic.expenses.repository import ExpensesUnitOfWork


def test_registers_among_answers_each_kind_from_its_own_table(session: Session) -> None:
    with ExpensesUnitOfWork(lambda: session) as uow:
        sales = uow.departments.add(Register(name="Sales"))
        atlas = uow.projects.add(Register(name="Atlas"))
        ana, bruno = uow.members.add(Register(name="Ana")), uow.members.add(Register(name="Bruno"))
        assert None not in (sales.id, atlas.id, ana.id, bruno.id)
        missing = max(r.id or 0 for r in (sales, atlas, ana, bruno)) + 1000

        found = uow.registers_among(
            {"department": {sales.id, missing}, "project": {atlas.id}, "member": {ana.id, bruno.id}}
        )

    # Each id is read in its own kind's table, whatever ids the other tables hold.
    assert found == {
        "department": {sales.id: sales},  # a missing id is absent, not an error
        "project": {atlas.id: atlas},
        "member": {ana.id: ana, bruno.id: bruno},
    }
    assert found["department"][sales.id].name == "Sales"
    assert found["project"][atlas.id].name == "Atlas"


def test_registers_among_the_same_id_in_every_kind(session: Session) -> None:
    """One id asked of all three kinds: each answer names its own table's register."""
    with ExpensesUnitOfWork(lambda: session) as uow:
        made = {
            kind: [uow.registers(kind).add(Register(name=f"{kind} {n}")) for n in range(3)]
            for kind in ("department", "project", "member")
        }
        shared = set.intersection(*({r.id for r in rs} for rs in made.values()))
        wanted = min(shared) if shared else None
        ids = {kind: {wanted} if wanted else {rs[0].id} for kind, rs in made.items()}
        found = uow.registers_among(ids)  # type: ignore[arg-type]

    for kind, registers in found.items():
        assert [r.name.split()[0] for r in registers.values()] == [kind]


def test_registers_among_an_empty_wish(session: Session) -> None:
    with ExpensesUnitOfWork(lambda: session) as uow:
        assert uow.registers_among({}) == {}
        assert uow.registers_among({"department": set()}) == {"department": {}}
