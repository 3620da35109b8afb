"""Fakes for unit tests of services: one unit of work, and in-memory repositories per context.

`FakeUnitOfWork(users=FakeUsers(), ...)` carries whatever repositories the service under test
uses, and records whether the service committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from mosaic.geo.domain import (
    BoundingBox,
    GeometryOptions,
    Paystat,
    PostalCode,
    PostalCodeShape,
    TurnoverFilter,
    TurnoverGroup,
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


class FakeRevokedTokens:
    def __init__(self) -> None:
        self.jtis: dict[str, datetime] = {}

    def add(self, jti: str, *, expires_at: datetime) -> None:
        self.jtis[jti] = expires_at

    def contains(self, jti: str) -> bool:
        return jti in self.jtis


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

    def turnover(self, wanted: TurnoverFilter, group_by: Sequence[str] = ()) -> list[TurnoverGroup]:
        self.asked.append(("turnover", (wanted, tuple(group_by))))
        total = [TurnoverGroup({}, Decimal("0"))]
        return self.groups.get(tuple(group_by), [] if group_by else total)

    def postal_code_shapes(
        self, wanted: TurnoverFilter, options: GeometryOptions
    ) -> list[PostalCodeShape]:
        self.asked.append(("shapes", (wanted, options)))
        codes = wanted.postal_codes
        return [s for s in self.shapes if not codes or s.code in codes]

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
