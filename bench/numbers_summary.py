"""Medians of bench/numbers.sh's RESULT lines, as the table in docs/performance.md."""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

FIELD = re.compile(r"(\w+)=([\d.]+)")


def results(path: str, label: str) -> list[dict[str, float]]:
    lines = Path(path).read_text().splitlines()
    return [
        {k: float(v) for k, v in FIELD.findall(line)}
        for line in lines
        if f" {label} " in f"{line} "
    ]


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def main(compare: str, soak: str) -> None:
    app, bare = results(compare, "app"), results(compare, "bare")
    ratio = median(app, "rps") / median(bare, "rps")
    print(f"| list page of 50 | app (median of {len(app)}) | bare Flask | app / bare |")
    print("|---|---|---|---|")
    print(f"| requests/s | {median(app, 'rps'):.0f} | {median(bare, 'rps'):.0f} | {ratio:.0%} |")
    for key in ("p50_ms", "p99_ms"):
        print(f"| {key} | {median(app, key):.1f} | {median(bare, key):.1f} | |")
    (row,) = results(soak, "app")
    errors = sum(row[k] for k in row if k.endswith("errors") or k in {"timeouts", "non_2xx"})
    print()
    print("| 200 connections, app | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {row['seconds']:.0f} s | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
        f"| {row['p99_ms']:.1f} | {row['max_ms']:.1f} | {errors:.0f} |"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
