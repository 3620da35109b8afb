"""A transaction PostgreSQL rolled back as a deadlock or serialization failure is run again a
bounded number of times; nothing else is retried."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from mosaic.platform.db import CONFLICT_ATTEMPTS, is_transaction_conflict, retry_conflicts


class DriverError(Exception):
    def __init__(self, pgcode: str | None) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


def database_error(pgcode: str | None) -> OperationalError:
    return OperationalError("INSERT ...", {}, DriverError(pgcode))


@pytest.mark.parametrize(
    ("pgcode", "conflict"),
    [("40P01", True), ("40001", True), ("08006", False), ("57014", False), (None, False)],
)
def test_only_sqlstate_class_40_is_a_conflict(pgcode: str | None, conflict: bool) -> None:
    assert is_transaction_conflict(database_error(pgcode)) is conflict


def test_a_deadlock_is_run_again_until_it_passes() -> None:
    calls: list[int] = []

    @retry_conflicts
    def write() -> str:
        calls.append(1)
        if len(calls) < CONFLICT_ATTEMPTS:
            raise database_error("40P01")
        return "stored"

    assert write() == "stored"
    assert len(calls) == CONFLICT_ATTEMPTS


def test_retries_are_bounded_and_the_last_conflict_propagates() -> None:
    calls: list[int] = []

    def write() -> None:
        calls.append(1)
        raise database_error("40001")

    with pytest.raises(OperationalError):
        retry_conflicts(write, pause_s=0)()
    assert len(calls) == CONFLICT_ATTEMPTS


def test_other_database_errors_are_not_retried() -> None:
    calls: list[int] = []

    def write() -> None:
        calls.append(1)
        raise database_error("08006")

    with pytest.raises(OperationalError):
        retry_conflicts(write)()
    assert calls == [1]
