"""Reads over a year of one sensor: 1,000,000 readings loaded straight into sensor_reading (and
its summary row), then the series (points=1000, bucket=1d) and KPI endpoints timed over HTTP
against gunicorn, beside two baselines measured in the same run: GET /health (the HTTP floor)
and a naive read of the raw year with psycopg2 fetchall (what the endpoint avoids).

    python bench/sensors_reads.py DATABASE_URL BASE_URL [ROUNDS]
"""

from __future__ import annotations

import http.client
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

SENSOR, COUNT = 424_242, 1_000_000
YEAR = ("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
LOAD = """
INSERT INTO sensor_reading (message_id, observed_at, sensor_id, dwell_time)
SELECT 'bench-' || n, timestamptz '2025-01-01 00:00:00+00' + n * interval '31536 milliseconds',
       :sensor, round((5 + 4 * sin(n / 2000.0) + random() * 6)::numeric, 2)
FROM generate_series(0, :count - 1) AS n
ON CONFLICT DO NOTHING
"""


def load(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(LOAD), {"sensor": SENSOR, "count": COUNT})
    # The summary and the hourly rollup, which ingestion keeps, rebuilt around the bulk load.
    subprocess.run([".venv/bin/flask", "--app", "mosaic", "sensors", "rollup"], check=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE sensor_reading, sensor_reading_hourly"))
    engine.dispose()


def timed_get(base_url: str, path: str, rounds: int) -> tuple[float, int]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    samples, size = [], 0
    for _ in range(rounds + 1):  # the first one warms caches and is dropped
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (path, response.status, body[:300])
        size = len(body)
    return statistics.median(samples[1:]), size


def naive_fetchall(url: str, rounds: int) -> float:
    engine = create_engine(url)
    samples = []
    for _ in range(rounds):
        with engine.connect() as connection:
            start = time.perf_counter()
            connection.execute(
                text(
                    "SELECT observed_at, dwell_time FROM sensor_reading WHERE sensor_id = :s "
                    "AND observed_at >= :a AND observed_at < :b ORDER BY observed_at"
                ),
                {"s": SENSOR, "a": YEAR[0], "b": YEAR[1]},
            ).fetchall()
            samples.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return statistics.median(samples)


def main() -> None:
    url, base_url = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    started = time.perf_counter()
    load(url)
    print(
        f"loaded {COUNT} readings of sensor {SENSOR} over 2025 in "
        f"{time.perf_counter() - started:.1f} s"
    )
    window = f"from={YEAR[0]}&to={YEAR[1]}"
    series = f"/api/v1/sensors/{SENSOR}/readings?{window}"
    cases = {
        "health (HTTP floor)": "/health",
        "readings points=1000 (MinMaxLTTB over 1M)": f"{series}&points=1000",
        "readings bucket=1d agg=avg": f"{series}&bucket=1d&agg=avg",
        "readings bucket=1d agg=p95": f"{series}&bucket=1d&agg=p95",
        "kpis one day (+ previous day)": "/api/v1/sensors/kpis?from=2025-12-30&to=2025-12-31",
        "kpis 30 days (+ previous 30)": "/api/v1/sensors/kpis?from=2025-12-01&to=2025-12-31",
        "kpis the year (+ previous year)": f"/api/v1/sensors/kpis?{window}",
    }
    for name, path in cases.items():
        median, size = timed_get(base_url, path, rounds)
        print(f"RESULT {name}: median {median:.1f} ms ({size} bytes, {rounds} rounds)")
    print(
        f"RESULT baseline naive fetchall of the raw year (1M rows, psycopg2): median "
        f"{naive_fetchall(url, 3):.1f} ms (3 rounds)"
    )


if __name__ == "__main__":
    main()
