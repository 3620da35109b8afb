"""The seeding service with a fake unit of work: all or nothing, line numbers, revision bump."""

from __future__ import annotations

from typing import Any

import pytest

from mosaic.geo.services.seeding import GeoSeeding
from mosaic.platform.datasets import DatasetRejected
from tests.fakes import FakeGeoRevisions, FakeGeoTable, FakeMonthlyTurnover, FakeUnitOfWork

SQUARE = (  # a triangle as hex EWKB, SRID 4326
    "0103000020E610000001000000040000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000F03F00000000000000000000000000000000"
)


def _postal_code(line: int, pid: str, code: str) -> tuple[int, dict[str, str]]:
    return line, {"id": pid, "code": code, "the_geom": SQUARE}


def _paystat(line: int, pid: str, **changes: str) -> tuple[int, dict[str, str]]:
    row = {"id": pid, "postal_code_id": "1", "p_month": "2015-01-01", "p_age": "25-34"}
    return line, {**row, "p_gender": "F", "amount": "12.3456", **changes}


def _seeding() -> tuple[GeoSeeding, Any]:
    uow = FakeUnitOfWork(
        postal_codes=FakeGeoTable(),
        paystats=FakeGeoTable(),
        revisions=FakeGeoRevisions(),
        monthly_turnover=FakeMonthlyTurnover(),
    )
    return GeoSeeding(lambda: uow, batch_size=2), uow  # type: ignore[arg-type,return-value]


def test_valid_files_are_upserted_and_the_revision_bumped() -> None:
    seeding, uow = _seeding()
    done: list[int] = []

    report = seeding.load(
        postal_codes=[_postal_code(2, "1", "28001")],
        paystats=[_paystat(2, "10"), _paystat(3, "11"), _paystat(4, "12", p_gender="M")],
        progress=done.append,
    )

    assert uow.committed
    assert uow.monthly_turnover.rebuilds == 1
    assert (report.postal_codes, report.paystats, report.revision) == (1, 3, 1)
    assert set(uow.paystats.rows) == {10, 11, 12}
    assert done == [1, 2, 1]


def test_one_bad_row_refuses_both_files_and_names_its_line() -> None:
    seeding, uow = _seeding()

    with pytest.raises(DatasetRejected) as rejected:
        seeding.load(
            postal_codes=[_postal_code(2, "1", "28001"), _postal_code(3, "2", "2800X")],
            paystats=[
                _paystat(2, "10"),
                _paystat(3, "11", p_age="18-24"),
                _paystat(4, "12", amount="lots"),
                _paystat(5, "10"),
                _paystat(6, "13", postal_code_id="99"),
            ],
        )

    assert rejected.value.problems == [
        "postal_codes.csv:3: code '2800X' is not five digits",
        "paystats.csv:3: p_age '18-24' is not one of <=24, 25-34, 35-44, 45-54, 55-64, >=65",
        "paystats.csv:4: amount 'lots' is not a decimal number",
        "paystats.csv:5: id 10 repeats line 2",
        "paystats.csv:6: postal_code_id 99 is unknown",
    ]
    assert not uow.committed
    assert uow.monthly_turnover.rebuilds == 0
    assert not uow.postal_codes.rows
    assert not uow.paystats.rows
