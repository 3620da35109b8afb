"""Medians of bench/numbers.sh's RESULT lines, as the tables in docs/performance.md: the ratio
app / bare of each A/B round (both sides of a round measured back to back), their median and
spread, and the soak."""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

FIELD = re.compile(r"(\w+)=([\d.]+)")
ROUND = re.compile(r"^round (\d+) (app|bare) RESULT")


def rounds(path: str) -> dict[int, dict[str, dict[str, float]]]:
    """{round: {"app": figures, "bare": figures}}"""
    found: dict[int, dict[str, dict[str, float]]] = {}
    for line in Path(path).read_text().splitlines():
        match = ROUND.match(line)
        if match:
            figures = {k: float(v) for k, v in FIELD.findall(line[match.end() :])}
            found.setdefault(int(match.group(1)), {})[match.group(2)] = figures
    return {n: sides for n, sides in found.items() if len(sides) == 2}


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def errors(row: dict[str, float]) -> float:
    return sum(row[k] for k in row if k.endswith("errors") or k in {"timeouts", "non_2xx"})


def compare(path: str, connections: str) -> None:
    paired = rounds(path)
    app = [sides["app"] for sides in paired.values()]
    bare = [sides["bare"] for sides in paired.values()]
    ratios = [sides["app"]["rps"] / sides["bare"]["rps"] for sides in paired.values()]
    print(f"| list page of 50, {connections} connections, {len(ratios)} A/B rounds | app | "
          "bare Flask (same rounds) |")  # fmt: skip
    print("|---|---|---|")
    print(f"| requests/s, median | {median(app, 'rps'):.0f} | {median(bare, 'rps'):.0f} |")
    for key in ("p50_ms", "p99_ms"):
        print(f"| {key}, median | {median(app, key):.1f} | {median(bare, key):.1f} |")
    print(f"| errors | {sum(map(errors, app)):.0f} | {sum(map(errors, bare)):.0f} |")
    print()
    shown = ", ".join(f"{ratio:.0%}" for ratio in ratios)
    print(f"app / bare: median of the per-round ratios **{statistics.median(ratios):.0%}**, "
          f"spread {min(ratios):.0%} to {max(ratios):.0%} (rounds in order: {shown})")  # fmt: skip


def soak(path: str) -> None:
    line = next(x for x in Path(path).read_text().splitlines() if x.startswith("soak app"))
    row = {k: float(v) for k, v in FIELD.findall(line)}
    print()
    print("| 200 connections, app | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {row['seconds']:.0f} s | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
        f"| {row['p99_ms']:.1f} | {row['max_ms']:.1f} | {errors(row):.0f} |"
    )


if __name__ == "__main__":
    compare(sys.argv[1], sys.argv[3] if len(sys.argv) > 3 else "?")
    soak(sys.argv[2])
