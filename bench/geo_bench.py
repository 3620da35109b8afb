"""Geo benchmarks: choropleth, /turnover widgets at 1x/100x/1000x, /regions/madrid.

    eval "$(scripts/provision.sh mosaic_bench_geo)"
    .venv/bin/alembic upgrade head
    .venv/bin/python bench/geo_bench.py [--factors 1,100,1000]

Times are medians of server time measured around the WSGI call (Flask test client, no network),
next to the same SQL run alone through psql (`\\timing`, output discarded).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from geo_synthetic import (  # this folder is on sys.path when run as a script
    grow,
    rebuild_rollup,
    shrink,
)
from sqlalchemy import create_engine, func, select
from sqlalchemy.dialects import postgresql

from mosaic import create_app
from mosaic.geo.domain import BoundingBox, GeometryOptions, TurnoverFilter
from mosaic.geo.models import PaystatModel, PostalCodeModel
from mosaic.geo.queries.shapes import postal_code_shapes_statement
from mosaic.geo.queries.turnover import envelope
from mosaic.geo.services.seeding import GeoSeeding
from mosaic.platform.cache import ResultCache
from mosaic.platform.datasets import read_rows
from mosaic.platform.wiring import service

API = "/api/v1"
VIEW = BoundingBox(-3.75, 40.38, -3.65, 40.45)
WIDGETS = {  # name: (path, filter, group_by) of the dashboard's aggregate widgets
    "total of the view (bbox)": ("/turnover?bbox=-3.75,40.38,-3.65,40.45", VIEW, ()),
    "monthly by gender": ("/turnover?group_by=month,gender", None, ("month", "gender")),
    "age x gender": ("/turnover?group_by=age,gender", None, ("age", "gender")),
    "per postal code": ("/turnover?group_by=postal_code", None, ("postal_code",)),
}


def raw_widget_sql(wanted: TurnoverFilter, group_by: tuple[str, ...]) -> str:
    """The widget's aggregate straight over `paystat` (what the rollup saves), as literal SQL."""
    p, pc = PaystatModel, PostalCodeModel
    columns = {"month": p.month_on, "gender": p.gender, "age": p.age_group, "postal_code": pc.code}
    keys = [columns[k] for k in group_by]
    statement = select(*keys, func.sum(p.amount)).join(pc, pc.id == p.postal_code_id)
    if wanted.bbox:
        statement = statement.where(func.ST_Intersects(pc.geom, envelope(wanted.bbox)))
    return literal_sql(statement.group_by(*keys))


def literal_sql(statement: Any) -> str:
    compiled = statement.compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def median_ms(
    action: Callable[[], Any], runs: int, before: Callable[[], Any] = lambda: None
) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def psql_median_ms(sql: str, runs: int) -> float:
    """The statement alone in psql: `\\timing` on, rows sent to /dev/null."""
    url = os.environ["DATABASE_URL"].replace("postgresql+psycopg2://", "postgresql://")
    script = "\\timing on\n\\o /dev/null\n" + (sql + ";\n") * runs
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as file:
        file.write(script)
        file.flush()
        out = subprocess.run(
            ["psql", "-X", "-q", url, "-f", file.name], capture_output=True, text=True, check=True
        ).stdout
    return statistics.median(float(t) for t in re.findall(r"Time: ([0-9.]+) ms", out))


def get(app: Flask, path: str) -> Callable[[], bytes]:
    client = app.test_client()

    def call() -> bytes:
        response = client.get(API + path)
        assert response.status_code == 200, (path, response.status_code)
        return response.data

    return call


def choropleth(app: Flask, clear: Callable[[], None]) -> None:
    call = get(app, "/postal-codes")
    statement = postal_code_shapes_statement(TurnoverFilter(), GeometryOptions(5, 0.0001))
    sql = literal_sql(statement)
    print(f"| choropleth payload | {len(call()) / 1024:.1f} KiB |")
    print(f"| choropleth uncached | {median_ms(call, 21, clear):.1f} ms |")
    call()
    print(f"| choropleth cached | {median_ms(call, 101):.2f} ms |")
    print(f"| choropleth SQL alone in psql | {psql_median_ms(sql, 21):.1f} ms |")


def region(app: Flask, clear: Callable[[], None]) -> None:
    call = get(app, "/regions/madrid")
    print(f"| /regions/madrid first (uncached) | {median_ms(call, 7, clear):.1f} ms |")
    call()
    print(f"| /regions/madrid cached | {median_ms(call, 101):.2f} ms |")


def widgets(app: Flask, clear: Callable[[], None], factors: list[int]) -> None:
    engine = create_engine(os.environ["DATABASE_URL"])
    rows: dict[str, list[str]] = {"paystat rows": [], "rollup rebuild (in seed geo)": []}
    for factor in factors:
        rows["paystat rows"].append(f"{grow(engine, factor):,}")
        rebuild = median_ms(lambda: rebuild_rollup(engine), 1)
        rows["rollup rebuild (in seed geo)"].append(f"{rebuild:.0f} ms")
        runs = 21 if factor == 1 else 5 if factor <= 100 else 3
        for name, (path, box, group_by) in WIDGETS.items():
            api = median_ms(get(app, path), runs, clear)
            rows.setdefault(f"{name}: API on the rollup", []).append(f"{api:.1f} ms")
            raw = psql_median_ms(raw_widget_sql(TurnoverFilter(bbox=box), group_by), runs)
            rows.setdefault(f"{name}: SQL on raw paystat", []).append(f"{raw:.1f} ms")
    print("| widget, uncached | " + " | ".join(f"{f}x" for f in factors) + " |")
    print("|---|" + "---|" * len(factors))
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")
    shrink(engine)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factors", default="1,100,1000")
    factors = [int(f) for f in parser.parse_args().factors.split(",")]
    app = create_app(
        {
            "LOG_LEVEL": "WARNING",
            "RATELIMIT_ENABLED": False,
            "DATABASE_STATEMENT_TIMEOUT_MS": 600_000,
        }
    )
    folder = app.config["SEED_DATA_DIR"]
    service(GeoSeeding, app).load(
        postal_codes=read_rows(Path(folder) / "postal_codes.csv"),
        paystats=read_rows(Path(folder) / "paystats.csv"),
    )
    shrink(create_engine(os.environ["DATABASE_URL"]))
    clear = service(ResultCache, app).clear
    print(f"cache backend: {'redis' if app.config.get('REDIS_URL') else 'in-process'}")
    print("| measure | median |\n|---|---|")
    choropleth(app, clear)
    region(app, clear)
    print()
    widgets(app, clear, factors)


if __name__ == "__main__":
    main()
