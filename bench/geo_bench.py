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
from geo_synthetic import grow, shrink  # this folder is on sys.path when run as a script
from seeds.geo import read_rows
from sqlalchemy import create_engine
from sqlalchemy.dialects import postgresql

from mosaic import create_app
from mosaic.geo.domain import TurnoverFilter
from mosaic.geo.geometries import GeometryOptions, postal_code_shapes_statement

API = "/api/v1"
WIDGETS = {
    "total of the view (bbox)": "/turnover?bbox=-3.75,40.38,-3.65,40.45",
    "monthly by gender": "/turnover?group_by=month,gender",
    "age x gender": "/turnover?group_by=age,gender",
    "per postal code": "/turnover?group_by=postal_code",
}


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
    sql = str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
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
    print("| widget (uncached) | " + " | ".join(f"{f}x" for f in factors) + " |")
    print("|---|" + "---|" * len(factors))
    results: dict[str, list[str]] = {name: [] for name in WIDGETS}
    sizes = []
    for factor in factors:
        sizes.append(grow(engine, factor))
        runs = 21 if factor == 1 else 5 if factor <= 100 else 3
        for name, path in WIDGETS.items():
            results[name].append(f"{median_ms(get(app, path), runs, clear):.1f} ms")
    print("| paystat rows | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    for name, cells in results.items():
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
    app.extensions["mosaic.geo.seeding"].load(
        postal_codes=read_rows(Path(folder) / "postal_codes.csv"),
        paystats=read_rows(Path(folder) / "paystats.csv"),
    )
    shrink(create_engine(os.environ["DATABASE_URL"]))
    clear = app.extensions["mosaic.cache"].clear
    print(f"cache backend: {'redis' if app.config.get('REDIS_URL') else 'in-process'}")
    print("| measure | median |\n|---|---|")
    choropleth(app, clear)
    region(app, clear)
    print()
    widgets(app, clear, factors)


if __name__ == "__main__":
    main()
