"""OGC items and the point lookup: /ogc/collections/postal-codes/items?limit=1000 uncached and
cached, and /api/v1/postal-codes/at at random points inside Madrid (goal <= 5 ms server time).

    eval "$(scripts/provision.sh mosaic_bench_geo)"
    .venv/bin/alembic upgrade head
    .venv/bin/python bench/geo_ogc_bench.py

Server time is measured around the WSGI call (Flask test client, no network). The baseline,
measured in the same run, is the JSON API's /api/v1/postal-codes at the same detail (the same
shapes and sums), and the lookup's SQL alone in psql.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from geo_bench import literal_sql, median_ms, psql_median_ms  # this folder is on sys.path
from shapely import wkb
from shapely.geometry import Point
from shapely.ops import unary_union

from mosaic import create_app
from mosaic.geo.queries.shapes import postal_code_at_statement
from mosaic.geo.services.seeding import GeoSeeding
from mosaic.platform.cache import ResultCache
from mosaic.platform.datasets import read_rows
from mosaic.platform.wiring import service

ITEMS = "/ogc/collections/postal-codes/items?limit=1000"
BASELINE = "/api/v1/postal-codes?precision=6&simplify=0"
POINTS = 500


def fetch(app: Flask, url: str) -> Callable[[], bytes]:
    client = app.test_client()

    def call() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data

    return call


def points_inside(folder: Path, count: int) -> list[Point]:
    """Uniform random points inside the union of the postal codes (seeded: same every run)."""
    shapes = [
        wkb.loads(row["the_geom"], hex=True) for _, row in read_rows(folder / "postal_codes.csv")
    ]
    madrid = unary_union(shapes)
    min_x, min_y, max_x, max_y = madrid.bounds
    pick = random.Random(12)
    found: list[Point] = []
    while len(found) < count:
        point = Point(pick.uniform(min_x, max_x), pick.uniform(min_y, max_y))
        if madrid.contains(point):
            found.append(point)
    return found


def items(app: Flask, clear: Callable[[], None]) -> None:
    call, baseline = fetch(app, ITEMS), fetch(app, BASELINE)
    print(f"| items?limit=1000 payload | {len(call()) / 1024:.1f} KiB |")
    uncached = median_ms(call, 21, clear)
    print(f"| items?limit=1000 uncached | {uncached:.1f} ms |")
    call()
    print(f"| items?limit=1000 cached | {median_ms(call, 101):.2f} ms |")
    base = median_ms(baseline, 21, clear)
    print(f"| baseline /api/v1/postal-codes same detail, uncached | {base:.1f} ms |")
    print(f"| items uncached / baseline | {uncached / base:.2f} |")


def lookups(app: Flask, clear: Callable[[], None], points: list[Point]) -> None:
    for extra, name in (("", "with its polygon"), ("&geometry=false", "geometry=false")):
        client, times = app.test_client(), []
        for point in points:
            clear()
            start = time.perf_counter()
            response = client.get(f"/api/v1/postal-codes/at?lon={point.x}&lat={point.y}{extra}")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (point, response.status_code)
        times.sort()
        print(
            f"| postal-codes/at {name}, {len(points)} random points, uncached: median / p95 | "
            f"{statistics.median(times):.2f} / {times[int(len(times) * 0.95)]:.2f} ms |"
        )
    cached = fetch(app, f"/api/v1/postal-codes/at?lon={points[0].x}&lat={points[0].y}")
    cached()
    print(f"| postal-codes/at cached (same point again) | {median_ms(cached, 101):.2f} ms |")
    sql = literal_sql(postal_code_at_statement(points[0].x, points[0].y))
    print(f"| the lookup's SQL alone in psql | {psql_median_ms(sql, 101):.2f} ms |")


def main() -> None:
    app = create_app({"LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": False})
    folder = Path(app.config["SEED_DATA_DIR"])
    service(GeoSeeding, app).load(
        postal_codes=read_rows(folder / "postal_codes.csv"),
        paystats=read_rows(folder / "paystats.csv"),
    )
    clear = service(ResultCache, app).clear
    print(f"cache backend: {'redis' if app.config.get('REDIS_URL') else 'in-process'}")
    print("| measure | median |\n|---|---|")
    items(app, clear)
    lookups(app, clear, points_inside(folder, POINTS))


if __name__ == "__main__":
    main()
