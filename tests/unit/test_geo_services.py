"""The turnover service on a fake reader: totals, legends, the detail's filter, Madrid, tiles."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from cachelib import SimpleCache

from mosaic.geo.domain import (
    GeometryOptions,
    Period,
    PostalCodeShape,
    Ranking,
    TurnoverFilter,
    TurnoverGroup,
    Window,
)
from mosaic.geo.queries import TurnoverReader
from mosaic.geo.services.turnover import OutsideMadrid, TurnoverService, UnknownPostalCode
from mosaic.platform.cache import ResultCache
from mosaic.platform.revisions import Revision
from tests.fakes import MADRID, FakeTurnoverReader

MADRID_TILE = (10, 501, 385)  # covers Madrid at zoom 10
SYDNEY_TILE = (10, 941, 614)
OPTIONS = GeometryOptions(precision=5, simplify=0.0001)


def _shape(pid: int, code: str, turnover: str) -> PostalCodeShape:
    return PostalCodeShape(pid, code, Decimal(turnover), '{"type":"MultiPolygon"}')


class Counter:
    def __init__(self) -> None:
        self.value = 1

    def __call__(self) -> int:
        return self.value


@pytest.fixture(name="reader")
def reader_fixture() -> FakeTurnoverReader:
    return FakeTurnoverReader()


@pytest.fixture(name="revision")
def revision_fixture() -> Counter:
    return Counter()


@pytest.fixture(name="turnover")
def turnover_fixture(reader: FakeTurnoverReader, revision: Counter) -> TurnoverService:
    @contextmanager
    def reading() -> Iterator[TurnoverReader]:
        yield reader

    cache = ResultCache(SimpleCache())  # type: ignore[arg-type]  # get/set/clear, in memory
    return TurnoverService(reading, revision=Revision(revision), cache=cache)


def test_the_total_is_the_sum_of_the_groups_at_full_precision(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.groups[("gender",)] = [
        TurnoverGroup({"gender": "F"}, Decimal("0.004")),
        TurnoverGroup({"gender": "M"}, Decimal("0.003")),
    ]
    wanted = TurnoverFilter(month_from=date(2015, 1, 1), genders=("F", "M"))

    found = turnover.turnover(wanted, ("gender",))

    assert found.total == Decimal("0.007")
    assert [g.keys for g in found.groups] == [{"gender": "F"}, {"gender": "M"}]
    assert reader.asked == [("turnover", (wanted, ("gender",)))]


def test_without_group_keys_there_is_a_total_and_no_groups(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.groups[()] = [TurnoverGroup({}, Decimal("12.5"))]

    found = turnover.turnover(TurnoverFilter(), ())

    assert (found.total, found.groups) == (Decimal("12.5"), [])


def test_the_choropleth_legend_splits_the_postal_codes_with_turnover(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.shapes = [
        _shape(1, "28001", "0"),
        _shape(2, "28002", "10"),
        _shape(3, "28003", "20"),
        _shape(4, "28004", "30"),
        _shape(5, "28005", "40"),
    ]

    found = turnover.choropleth(TurnoverFilter(), OPTIONS, classes=2)

    assert found.shapes == reader.shapes
    assert found.legend.breaks == (Decimal("10"), Decimal("20"), Decimal("40"))
    assert [found.legend.class_of(s.turnover) for s in found.shapes] == [0, 1, 1, 2, 2]


def test_a_postal_code_is_read_for_that_code_only_ignoring_the_box(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.shapes = [_shape(1, "28001", "5"), _shape(2, "28002", "7")]
    reader.groups[("month",)] = [TurnoverGroup({"month": "2015-01"}, Decimal("5"))]
    wanted = TurnoverFilter(genders=("F",), postal_codes=("28002",), bbox=MADRID)

    found = turnover.postal_code("28001", wanted, options=OPTIONS)

    narrowed = replace(wanted, postal_codes=("28001",), bbox=None)
    assert found.shape.code == "28001"
    assert found.by_month == reader.groups[("month",)]
    assert found.by_age_gender == []
    assert reader.asked == [
        ("shapes", (narrowed, OPTIONS)),
        ("turnover", (narrowed, ("month",))),
        ("turnover", (narrowed, ("age", "gender"))),
    ]


def test_an_unknown_postal_code_is_not_found_and_reads_no_turnover(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    with pytest.raises(UnknownPostalCode, match="No postal code 99999"):
        turnover.postal_code("99999", TurnoverFilter(), options=OPTIONS)

    assert [name for name, _ in reader.asked] == ["shapes"]


def test_madrid_has_its_outline_total_and_a_breakdown_per_key(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.groups[()] = [TurnoverGroup({}, Decimal("99.99"))]
    reader.groups[("age",)] = [TurnoverGroup({"age": "25-34"}, Decimal("99.99"))]

    found = turnover.madrid(TurnoverFilter(), options=OPTIONS)

    assert (found.name, found.turnover) == ("Madrid", Decimal("99.99"))
    assert found.geometry == '{"type":"MultiPolygon","coordinates":[]}'
    assert found.breakdowns == {"by_month": [], "by_age": reader.groups[("age",)], "by_gender": []}


def test_a_tile_outside_the_data_is_empty_without_drawing(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    assert turnover.tile(*SYDNEY_TILE, TurnoverFilter()) == b""
    assert turnover.tile(*MADRID_TILE, TurnoverFilter()) == b"\x1a\x02mvt"

    assert [name for name, _ in reader.asked] == ["extent", "tile"]  # the extent once


def test_the_extent_is_read_again_when_the_data_revision_changes(
    turnover: TurnoverService, reader: FakeTurnoverReader, revision: Counter
) -> None:
    turnover.tile(*MADRID_TILE, TurnoverFilter())
    reader.box = None  # the data is gone: a new seed bumped the revision
    revision.value = 2

    assert turnover.tile(*MADRID_TILE, TurnoverFilter()) == b""
    assert [name for name, _ in reader.asked] == ["extent", "tile", "extent"]


def test_no_data_means_every_tile_is_empty(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.box = None

    assert turnover.tile(0, 0, 0, TurnoverFilter()) == b""
    assert [name for name, _ in reader.asked] == ["extent"]


def test_compare_previous_takes_as_many_months_just_before(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.groups[("gender",)] = [
        TurnoverGroup({"gender": "F"}, Decimal("150")),
        TurnoverGroup({"gender": "M"}, Decimal("40")),
    ]
    before = (date(2015, 1, 1), date(2015, 3, 1))
    reader.periods[before] = {("gender",): [TurnoverGroup({"gender": "F"}, Decimal("100"))]}
    wanted = TurnoverFilter(month_from=date(2015, 4, 1), month_to=date(2015, 6, 1))

    found = turnover.turnover(wanted, ("gender",), compare="previous")

    assert (found.compared_with.first, found.compared_with.last) == before  # type: ignore[union-attr]
    female, male = found.groups
    assert (female.previous, female.change, female.change_percent) == (
        Decimal("100"),
        Decimal("50"),
        Decimal("50"),
    )
    assert (male.previous, male.change, male.change_percent) == (Decimal(0), Decimal("40"), None)
    assert (found.previous_total, found.summary.change) == (Decimal("100"), Decimal("90"))


def test_compare_previous_without_months_uses_the_datas_months(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    found = turnover.turnover(TurnoverFilter(), (), compare="previous")

    assert found.compared_with == Period(date(2014, 1, 1), date(2014, 12, 1))


def test_ranking_sorts_by_total_and_cuts(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.groups[("postal_code",)] = [
        TurnoverGroup({"postal_code": code}, Decimal(amount))
        for code, amount in [("28001", "5"), ("28002", "9"), ("28003", "7"), ("28004", "9")]
    ]

    found = turnover.turnover(
        TurnoverFilter(), ("postal_code",), ranking=Ranking(by_total=True, descending=True, limit=3)
    )

    assert [g.keys["postal_code"] for g in found.groups] == ["28002", "28004", "28003"]
    assert found.total == Decimal("30")


def test_a_page_of_postal_codes_keeps_the_legend_of_every_code(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    reader.shapes = [_shape(i, f"2800{i}", str(i)) for i in range(1, 6)]
    reader.groups[("postal_code",)] = [
        TurnoverGroup({"postal_code": s.code}, s.turnover) for s in reader.shapes
    ]

    page = turnover.postal_code_page(
        TurnoverFilter(bbox=MADRID), OPTIONS, window=Window(offset=3, limit=1), classes=5
    )

    assert [s.code for s in page.shapes] == ["28004"]
    assert page.matched == 5
    assert page.legend.class_of(Decimal("4")) == 4
    asked = [w for name, (w, _) in reader.asked if name == "turnover"]  # type: ignore[misc]
    assert asked == [TurnoverFilter()]  # the legend ignores the box
    assert page.period == Period(date(2015, 1, 1), date(2015, 12, 1))


def test_a_point_outside_every_postal_code_is_not_found(
    turnover: TurnoverService, reader: FakeTurnoverReader
) -> None:
    with pytest.raises(OutsideMadrid):
        turnover.postal_code_at(2.17, 41.38, TurnoverFilter(), options=OPTIONS)

    reader.shapes, reader.at = [_shape(1, "28001", "3")], "28001"
    assert (
        turnover.postal_code_at(-3.7, 40.4, TurnoverFilter(), options=OPTIONS).shape.code == "28001"
    )


def test_points_in_one_postal_code_read_its_detail_once_per_revision(
    turnover: TurnoverService, reader: FakeTurnoverReader, revision: Counter
) -> None:
    reader.shapes, reader.at = [_shape(1, "28001", "3")], "28001"
    for lon in (-3.70, -3.71, -3.72):
        turnover.postal_code_at(lon, 40.4, TurnoverFilter(), options=OPTIONS)
    turnover.postal_code("28001", TurnoverFilter(), options=OPTIONS)  # the same detail

    assert [name for name, _ in reader.asked].count("shapes") == 1
    assert [name for name, _ in reader.asked].count("at") == 3  # the lookup itself: every time

    # Another filter or drawing is another detail; a write (new revision) reads it all again.
    turnover.postal_code_at(-3.7, 40.4, TurnoverFilter(genders=("F",)), options=OPTIONS)
    turnover.postal_code_at(-3.7, 40.4, TurnoverFilter(), options=replace(OPTIONS, drawn=False))
    assert [name for name, _ in reader.asked].count("shapes") == 3
    revision.value += 1
    turnover.postal_code_at(-3.7, 40.4, TurnoverFilter(), options=OPTIONS)
    assert [name for name, _ in reader.asked].count("shapes") == 4
