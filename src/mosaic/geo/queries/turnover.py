"""Read side of turnover: aggregates and the filters every read shares, as Core expressions.

Every aggregate reads `monthly_turnover`, the rollup of paystats by postal code, month, age group
and gender that `seed geo` rebuilds: the same sums, bounded by the grain rather than by the number
of source rows (see docs/performance.md).

Sums stay NUMERIC in PostgreSQL and come back as `Decimal`; rounding to the cent happens once,
when a result is serialized.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, select

from mosaic.geo.domain import AGE_GROUPS, BoundingBox, TurnoverFilter, TurnoverGroup
from mosaic.geo.models import DATASET, GeoRevisionModel, MonthlyTurnoverModel, PostalCodeModel

P = MonthlyTurnoverModel
PC = PostalCodeModel
GROUP_COLUMNS: dict[str, Any] = {  # column expressions by group key
    "month": func.to_char(P.month_on, "YYYY-MM"),
    "gender": P.gender,
    "age": P.age_group,
    "postal_code": PC.code,
}
# Age groups in the order of age ("<=24" first, ">=65" last), not as text sorts them.
ORDER_COLUMNS: dict[str, Any] = {
    **GROUP_COLUMNS,
    "age": case({group: rank for rank, group in enumerate(AGE_GROUPS)}, value=P.age_group),
}


# What migration 0007's trigger calls the counter when it announces a new value.
REVISION_COUNTER = f"{GeoRevisionModel.__tablename__}/{DATASET}"


def revision_statement() -> Select[int]:
    """The data revision `seed geo` bumps (none before the first seed): a primary-key lookup."""
    return select(GeoRevisionModel.revision).where(GeoRevisionModel.dataset == DATASET)


def envelope(box: BoundingBox) -> ColumnElement[Any]:
    return func.ST_MakeEnvelope(box.min_lon, box.min_lat, box.max_lon, box.max_lat, 4326)


def paystat_conditions(wanted: TurnoverFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.month_from:
        conditions.append(P.month_on >= wanted.month_from)
    if wanted.month_to:
        conditions.append(P.month_on <= wanted.month_to)
    if wanted.age_groups:
        conditions.append(P.age_group.in_(wanted.age_groups))
    if wanted.genders:
        conditions.append(P.gender.in_(wanted.genders))
    return conditions


def postal_code_conditions(wanted: TurnoverFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.postal_codes:
        conditions.append(PC.code.in_(wanted.postal_codes))
    if wanted.bbox:
        conditions.append(func.ST_Intersects(PC.geom, envelope(wanted.bbox)))
    return conditions


def turnover_statement(wanted: TurnoverFilter, group_by: Sequence[str]) -> Select[Any]:
    keys = [GROUP_COLUMNS[key].label(key) for key in group_by]
    statement = select(*keys, func.sum(P.turnover).label("turnover")).where(
        *paystat_conditions(wanted)
    )
    # Join postal codes only when a filter or a key needs them: the cheapest plan otherwise.
    if wanted.postal_codes or wanted.bbox or "postal_code" in group_by:
        statement = statement.join(PC, PC.id == P.postal_code_id).where(
            *postal_code_conditions(wanted)
        )
    return statement.group_by(*keys).order_by(*(ORDER_COLUMNS[key] for key in group_by))


def turnover(
    connection: Connection, wanted: TurnoverFilter, group_by: Sequence[str] = ()
) -> list[TurnoverGroup]:
    """One group per combination of keys, in key order; no keys, one group with the total."""
    rows = connection.execute(turnover_statement(wanted, group_by)).mappings()
    found = [
        TurnoverGroup({key: row[key] for key in group_by}, row["turnover"])
        for row in rows
        if row["turnover"] is not None
    ]
    if not group_by and not found:
        return [TurnoverGroup({}, Decimal(0))]
    return found


def known_codes(connection: Connection, codes: Sequence[str]) -> set[str]:
    """Which of `codes` are Madrid postal codes in the dataset."""
    return set(connection.scalars(select(PC.code).where(PC.code.in_(codes))))


def per_postal_code(wanted: TurnoverFilter) -> Any:
    """A subquery: (postal_code_id, turnover) of the paystats that match `wanted`."""
    statement = select(P.postal_code_id, func.sum(P.turnover).label("turnover")).where(
        *paystat_conditions(wanted)
    )
    if wanted.postal_codes:  # sum only the codes asked for (one, for a detail or a click)
        asked = select(PC.id).where(PC.code.in_(wanted.postal_codes))
        statement = statement.where(P.postal_code_id.in_(asked.scalar_subquery()))
    return statement.group_by(P.postal_code_id).subquery("per_postal_code")


def extent(connection: Connection) -> BoundingBox | None:
    """The box around every postal code, or None when there are none."""
    row = connection.execute(
        select(
            func.ST_XMin(func.ST_Extent(PC.geom)),
            func.ST_YMin(func.ST_Extent(PC.geom)),
            func.ST_XMax(func.ST_Extent(PC.geom)),
            func.ST_YMax(func.ST_Extent(PC.geom)),
        )
    ).one()
    if row[0] is None:
        return None
    return BoundingBox(float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def months(connection: Connection) -> tuple[date, date] | None:
    """The first and the last month with paystats, or None when there are none."""
    row = connection.execute(select(func.min(P.month_on), func.max(P.month_on))).one()
    return None if row[0] is None else (row[0], row[1])
