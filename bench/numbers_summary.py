"""Medians of bench/numbers.sh's RESULT lines, as the tables in docs/performance.md: each mode's
figures, and the ratio of each mode to bare taken round by round (the runs of a round are back
to back), with the median and spread of those ratios."""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

FIELD = re.compile(r"(\w+)=([\d.]+)")
MODES = {"app": "strict (`REVISION_PUSH=false`)", "push": "push (default)", "bare": "bare Flask"}


ROUND = re.compile(r"^round (\d+) (\w+) RESULT")


def results(path: str, label: str) -> list[dict[str, float]]:
    lines = Path(path).read_text().splitlines()
    return [
        {k: float(v) for k, v in FIELD.findall(line)}
        for line in lines
        if f" {label} " in f"{line} " and "RESULT" not in line.split(label)[0]
    ]


def rounds(path: str) -> list[dict[str, float]]:
    """Per round: requests/s of each mode."""
    found: dict[int, dict[str, float]] = {}
    for line in Path(path).read_text().splitlines():
        match = ROUND.match(line)
        if match:
            figures = dict(FIELD.findall(line[match.end() :]))
            found.setdefault(int(match.group(1)), {})[match.group(2)] = float(figures["rps"])
    return [by_mode for _, by_mode in sorted(found.items()) if set(by_mode) == set(MODES)]


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def compare(path: str) -> None:
    rows = {mode: results(path, mode) for mode in MODES}
    bare = median(rows["bare"], "rps")
    print(
        f"| list page of 50, median of {len(rows['bare'])} rounds | "
        + " | ".join(MODES.values())
        + " |"
    )
    print("|---|---|---|---|")
    shares = [f"{median(rows[m], 'rps'):.0f} ({median(rows[m], 'rps') / bare:.0%})" for m in MODES]
    print("| requests/s (share of bare) | " + " | ".join(shares) + " |")
    for key in ("p50_ms", "p99_ms"):
        print(f"| {key} | " + " | ".join(f"{median(rows[m], key):.1f}" for m in MODES) + " |")
    for mode in ("app", "push"):
        ratios = [by_mode[mode] / by_mode["bare"] for by_mode in rounds(path)]
        shown = ", ".join(f"{ratio:.0%}" for ratio in ratios)
        print(
            f"\n{MODES[mode]} / bare: median of the per-round ratios "
            f"**{statistics.median(ratios):.0%}**, spread {min(ratios):.0%} to "
            f"{max(ratios):.0%} (rounds in order: {shown})"
        )


def soak(path: str) -> None:
    print("\n| 200 connections | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for mode in ("app", "push"):
        (row,) = results(path, mode)
        errors = sum(row[k] for k in row if k.endswith("errors") or k in {"timeouts", "non_2xx"})
        print(
            f"| {MODES[mode]}, {row['seconds']:.0f} s | {row['rps']:.0f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['max_ms']:.1f} | {errors:.0f} |"
        )


def main(compared: str, soaked: str, *latencies: str) -> None:
    compare(compared)
    soak(soaked)
    for path in latencies:
        print(f"\n{Path(path).stem}: {Path(path).read_text().strip()}")


if __name__ == "__main__":
    main(*sys.argv[1:])
