"""Synthetic paystats for the geo benchmarks: the real rows copied (factor - 1) times.

Each copy keeps the postal code, month, age group and gender and jitters the amount by ±10 %,
as if the source were finer grained (e.g. per week or per merchant). Copies get ids
`id + k * ID_STRIDE`, so `shrink` finds and removes them again.
"""

from __future__ import annotations

from sqlalchemy import Engine, delete, func, insert, select, text, true
from sqlalchemy.orm import Session

from mosaic.geo.models import PaystatModel
from mosaic.geo.repository import MonthlyTurnoverRepository, RevisionRepository

P = PaystatModel
ID_STRIDE = 1_000_000  # above every real id (10,652 today)


def shrink(engine: Engine) -> None:
    """Back to the real rows only."""
    with engine.begin() as connection:
        connection.execute(delete(P).where(P.id >= ID_STRIDE))
    _analyze(engine)


def grow(engine: Engine, factor: int) -> int:
    """Make the table `factor` times the real size; returns the row count."""
    shrink(engine)
    copies = func.generate_series(1, factor - 1).table_valued("k").render_derived(name="copies")
    jitter = (0.9 + 0.2 * func.random()).cast(P.amount.type)
    columns = ("id", "postal_code_id", "month_on", "age_group", "gender", "amount")
    source = (
        select(
            P.id + copies.c.k * ID_STRIDE,
            P.postal_code_id,
            P.month_on,
            P.age_group,
            P.gender,
            func.round(P.amount * jitter, 5),
        )
        .select_from(P)
        .join(copies, true())
        .where(P.id < ID_STRIDE)
    )
    with engine.begin() as connection:
        if factor > 1:
            connection.execute(insert(P).from_select(columns, source))
    _analyze(engine)
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(P)) or 0)


def _analyze(engine: Engine) -> None:
    """Fresh statistics, the rollup rebuilt and a new data revision, as `seed geo` leaves them."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE paystat"))
    rebuild_rollup(engine)


def rebuild_rollup(engine: Engine) -> None:
    with engine.begin() as connection:
        session = Session(bind=connection)
        MonthlyTurnoverRepository(session).rebuild()
        RevisionRepository(session).bump()
        session.flush()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE monthly_turnover"))
