"""KPIs of dwell time per sensor and overall, for a window and the period just before it:
one scan with GROUP BY period, ROLLUP(sensor_id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, Connection, Double, case, func, literal, select
from sqlalchemy.dialects.postgresql import array

from mosaic.sensors.domain.series import Window
from mosaic.sensors.models import ReadingModel
from mosaic.sensors.queries.series import roomy_sorts

R = ReadingModel
FIGURES = ("count", "mean", "median", "p95", "max")


def kpis(
    connection: Connection, window: Window, *, sensor_id: int | None = None
) -> dict[str, dict[int | None, dict[str, Any]]]:
    """{"current"|"previous": {sensor_id (None = overall): {count, mean, median, p95, max}}}."""
    previous = window.previous()
    period = case((R.observed_at >= window.start, literal("current")), else_=literal("previous"))
    statement = (
        select(
            period.label("period"),
            R.sensor_id,
            func.count().label("count"),
            func.avg(R.dwell_time).label("mean"),
            # Both percentiles from one sort of the group.
            func.percentile_cont(array([0.5, 0.95]), type_=ARRAY(Double))
            .within_group(R.dwell_time)
            .label("percentiles"),
            func.max(R.dwell_time).label("max"),
        )
        .where(R.observed_at >= previous.start, R.observed_at < window.end)
        .group_by(period, func.rollup(R.sensor_id))
    )
    if sensor_id is not None:
        statement = statement.where(R.sensor_id == sensor_id)
    found: dict[str, dict[int | None, dict[str, Any]]] = {"current": {}, "previous": {}}
    connection.execute(roomy_sorts())
    for row in connection.execute(statement).mappings():
        median, p95 = row["percentiles"]
        figures = {"count": row["count"], "mean": row["mean"], "median": median, "p95": p95}
        found[row["period"]][row["sensor_id"]] = {**figures, "max": row["max"]}
    return found
