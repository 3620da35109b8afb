"""Fakes for unit tests of services: one unit of work, and in-memory repositories per context.

`FakeUnitOfWork(users=FakeUsers(), ...)` carries whatever repositories the service under test
uses, and records whether the service committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mosaic.geo.domain import (
    EVERY_ROW,
    BoundingBox,
    GeometryOptions,
    Paystat,
    PostalCode,
    PostalCodeShape,
    TurnoverFilter,
    TurnoverGroup,
    Window,
)
from mosaic.numbers.domain import PhoneNumber
from mosaic.platform.auth.domain import User

MADRID = BoundingBox(-3.9, 40.3, -3.5, 40.6)  # around every postal code


class FakeUnitOfWork:
    """Enters and exits like the real one; `committed` says whether `commit()` was called."""

    def __init__(self, **repositories: Any) -> None:
        self.__dict__.update(repositories)
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass

    def commit(self) -> None:
        self.committed = True

    def rollback(self) -> None:
        self.committed = False


class FakeUsers:
    def __init__(self) -> None:
        self.by_name: dict[str, User] = {}

    def get_by_username(self, username: str) -> User | None:
        return self.by_name.get(username)

    def save(self, user: User) -> User:
        self.by_name[user.username] = user
        return user

    def delete(self, user: User) -> None:
        del self.by_name[user.username]

    def lock_active_admins(self) -> list[str]:
        return [u.username for u in self.by_name.values() if u.is_active_admin]


class FakeRevokedTokens:
    """Ended sessions: session id -> (expiry, username)."""

    def __init__(self) -> None:
        self.jtis: dict[str, datetime] = {}
        self.users: dict[str, str] = {}

    def add(self, jti: str, *, expires_at: datetime, username: str | None = None) -> None:
        self.jtis[jti] = expires_at
        self.users[jti] = username or ""

    def ended_for(self, username: str) -> frozenset[str]:
        return frozenset(jti for jti, name in self.users.items() if name == username)


class FakePhoneNumbers:
    def __init__(self) -> None:
        self.rows: dict[int, PhoneNumber] = {}
        self.revision = 0

    def get(self, number_id: int, *, fresh: bool = False) -> PhoneNumber | None:
        del fresh  # the fake holds no stale copies
        return self.rows.get(number_id)

    def get_by_values(self, values: Iterable[str]) -> list[PhoneNumber]:
        wanted = set(values)
        return [n for n in self.rows.values() if n.value in wanted]

    def add(self, number: PhoneNumber) -> PhoneNumber:
        stored = replace(number, id=len(self.rows) + 1, version=1)
        self.rows[stored.id or 0] = stored
        return stored

    def add_all(self, numbers: Sequence[PhoneNumber]) -> list[PhoneNumber]:
        return [self.add(number) for number in numbers]

    def update(self, number: PhoneNumber) -> PhoneNumber | None:
        current = self.rows.get(number.id or 0)
        if current is None or current.version != number.version:
            return None
        stored = self.rows[number.id or 0] = replace(number, version=number.version + 1)
        return stored

    def delete(self, number: PhoneNumber) -> bool:
        return self.rows.pop(number.id or 0, None) is not None

    def bump_revision(self) -> None:
        self.revision += 1


class FakeGeoTable:
    """Postal codes or paystats by id."""

    def __init__(self) -> None:
        self.rows: dict[int, PostalCode | Paystat] = {}

    def upsert_many(self, entities: Iterable[PostalCode | Paystat]) -> None:
        self.rows.update({e.id: e for e in entities})

    def ids(self) -> set[int]:
        return set(self.rows)


class FakeGeoRevisions:
    def __init__(self) -> None:
        self.revision = 0

    def bump(self) -> int:
        self.revision += 1
        return self.revision


class FakeMonthlyTurnover:
    def __init__(self) -> None:
        self.rebuilds = 0

    def rebuild(self) -> None:
        self.rebuilds += 1


class FakeTurnoverReader:
    """geo's TurnoverReader answering from lists in memory; records what it was asked."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, ...], list[TurnoverGroup]] = {}
        self.shapes: list[PostalCodeShape] = []
        self.box: BoundingBox | None = MADRID
        self.asked: list[tuple[str, object]] = []
        # Groups of other months: (month_from, month_to) -> group keys -> groups.
        self.periods: dict[tuple[date | None, date | None], dict[tuple[str, ...], Any]] = {}
        self.span: tuple[date, date] | None = (date(2015, 1, 1), date(2015, 12, 1))
        self.at: str | None = None  # the code any point falls in

    def turnover(self, wanted: TurnoverFilter, group_by: Sequence[str] = ()) -> list[TurnoverGroup]:
        self.asked.append(("turnover", (wanted, tuple(group_by))))
        total = [TurnoverGroup({}, Decimal("0"))]
        found = self.periods.get((wanted.month_from, wanted.month_to), self.groups)
        return list(found.get(tuple(group_by), [] if group_by else total))

    def postal_code_shapes(
        self, wanted: TurnoverFilter, options: GeometryOptions, *, window: Window = EVERY_ROW
    ) -> list[PostalCodeShape]:
        self.asked.append(("shapes", (wanted, options)))
        codes = wanted.postal_codes
        found = [s for s in self.shapes if not codes or s.code in codes][window.offset :]
        return found if window.limit is None else found[: window.limit]

    def postal_code_count(self, wanted: TurnoverFilter) -> int:
        return len(self.postal_code_shapes(wanted, GeometryOptions()))

    def postal_code_at(self, lon: float, lat: float) -> str | None:
        self.asked.append(("at", (lon, lat)))
        return self.at

    def months(self) -> tuple[date, date] | None:
        return self.span

    def madrid_union(self, options: GeometryOptions) -> str | None:
        self.asked.append(("union", options))
        return '{"type":"MultiPolygon","coordinates":[]}'

    def postal_code_tile(self, tile: tuple[int, int, int], wanted: TurnoverFilter) -> bytes:
        self.asked.append(("tile", (tile, wanted)))
        return b"\x1a\x02mvt"

    def extent(self) -> BoundingBox | None:
        self.asked.append(("extent", None))
        return self.box

    def known_codes(self, codes: Sequence[str]) -> set[str]:
        return {s.code for s in self.shapes} & set(codes)


class FakeStore:
    """An in-memory Repository[M, E] (platform/repository.py): ids from 1, optimistic versions."""

    def __init__(self) -> None:
        self.rows: dict[int, Any] = {}
        self.next_id = 1

    def get(self, entity_id: int) -> Any:
        return self.rows.get(entity_id)

    def find(self) -> list[Any]:
        return list(self.rows.values())

    def add(self, entity: Any) -> Any:
        stored = replace(entity, id=self.next_id, version=1)
        self.rows[self.next_id] = stored
        self.next_id += 1
        return stored

    def update(self, entity: Any) -> Any:
        current = self.rows.get(entity.id)
        if current is None or current.version != entity.version:
            return None
        self.rows[entity.id] = replace(entity, version=entity.version + 1)
        return self.rows[entity.id]

    def delete(self, entity: Any) -> bool:
        current = self.rows.get(entity.id)
        if current is None or current.version != entity.version:
            return False
        del self.rows[entity.id]
        return True


class FakeRegisters(FakeStore):
    def __init__(self, kind: str, expenses: FakeStore) -> None:
        super().__init__()
        self.kind, self.expenses = kind, expenses

    def get_by_names(self, names: Iterable[str]) -> dict[str, Any]:
        wanted = set(names)
        return {r.name: r for r in self.rows.values() if r.name in wanted}

    def is_referenced(self, register_id: int) -> bool:
        return any(
            getattr(e, f"{self.kind}_id") == register_id for e in self.expenses.rows.values()
        )


class FakeExpenses(FakeStore):
    def add_many(self, expenses: Iterable[Any]) -> int:
        return len([self.add(expense) for expense in expenses])

    def natural_keys(self, days: Iterable[Any]) -> set[tuple[Any, ...]]:
        wanted = set(days)
        return {e.natural_key for e in self.rows.values() if e.spent_on in wanted}


class FakeExpensesUnitOfWork(FakeUnitOfWork):
    """The expenses unit of work: three registers, the expenses and the revision counter."""

    def __init__(self) -> None:
        expenses = FakeExpenses()
        super().__init__(
            expenses=expenses,
            departments=FakeRegisters("department", expenses),
            projects=FakeRegisters("project", expenses),
            members=FakeRegisters("member", expenses),
        )
        self.revision = 0

    def registers(self, kind: str) -> FakeRegisters:
        found: FakeRegisters = getattr(self, f"{kind}s")
        return found

    def registers_among(self, wanted: Mapping[str, Iterable[int]]) -> dict[str, dict[int, Any]]:
        rows = {kind: self.registers(kind).rows for kind in wanted}
        return {
            kind: {i: rows[kind][i] for i in ids if i in rows[kind]} for kind, ids in wanted.items()
        }

    def bump_revision(self) -> None:
        self.revision += 1
