"""Domain rules of the geo context: records, amounts to the cent, legend classes, tiles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mosaic.geo.domain import (
    BoundingBox,
    InvalidRecord,
    Legend,
    Paystat,
    PostalCode,
    cents,
    parse_amount,
    tile_bounds,
)


def _paystat(**changes: object) -> Paystat:
    fields: dict[str, object] = {
        "id": 1,
        "postal_code_id": 7,
        "month": date(2015, 1, 1),
        "age_group": "25-34",
        "gender": "F",
        "amount": Decimal("10.5"),
        **changes,
    }
    return Paystat(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month": date(2015, 1, 2)}, "first of a month"),
        ({"age_group": "18-24"}, "<=24"),
        ({"gender": "X"}, "F, M"),
        ({"amount": Decimal("NaN")}, "finite"),
    ],
)
def test_a_paystat_refuses_what_the_source_cannot_mean(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidRecord, match=message):
        _paystat(**changes)


@pytest.mark.parametrize(
    ("code", "geometry"), [("2800", "00"), ("28O01", "00"), ("28001", "0"), ("28001", "zz")]
)
def test_a_postal_code_needs_five_digits_and_hex(code: str, geometry: str) -> None:
    with pytest.raises(InvalidRecord):
        PostalCode(id=1, code=code, geometry_ewkb_hex=geometry)


def test_amounts_are_rounded_half_up_to_the_cent() -> None:
    assert cents(Decimal("1.005")) == "1.01"
    assert cents(Decimal("0.1") + Decimal("0.2")) == "0.30"
    assert cents(Decimal("69731.3602")) == "69731.36"
    assert cents(Decimal(0)) == "0.00"
    with pytest.raises(InvalidRecord):
        parse_amount("12,5")


def test_quantile_breaks_are_real_values_and_classes_follow_them() -> None:
    turnovers = [Decimal(n) for n in range(1, 11)] + [Decimal(0)]

    legend = Legend.quantiles(turnovers, 5)

    assert legend.breaks == tuple(Decimal(n) for n in (1, 2, 4, 6, 8, 10))
    assert [legend.class_of(Decimal(n)) for n in range(11)] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_a_legend_without_turnover_puts_everything_in_class_zero() -> None:
    legend = Legend.quantiles([Decimal(0)] * 3, 5)

    assert legend.breaks == ()
    assert legend.class_of(Decimal(5)) == 0


def test_tile_bounds_cover_the_world_at_zoom_zero_and_split_at_one() -> None:
    world = tile_bounds(0, 0, 0)
    north_west = tile_bounds(1, 0, 0)

    assert world.min_lon == -180
    assert world.max_lon == 180
    assert world.max_lat == pytest.approx(85.0511, abs=1e-4)
    assert north_west == BoundingBox(-180, 0.0, 0.0, pytest.approx(85.0511, abs=1e-4))  # type: ignore[arg-type]
    assert north_west.intersects(tile_bounds(1, 1, 1))  # they share a corner
    assert not north_west.intersects(tile_bounds(2, 3, 3))
