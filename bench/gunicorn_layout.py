"""The table of bench/gunicorn_layout.sh: per layout and read, medians of the rounds."""

from __future__ import annotations

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

LINE = re.compile(r"^round (\d+) layout (\S+) target (\w+) RESULT (.*)$")
FIELD = re.compile(r"(\w+)=([\d.]+)")


def rows(path: str) -> dict[tuple[str, str], list[dict[str, float]]]:
    found: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
    for line in Path(path).read_text().splitlines():
        match = LINE.match(line)
        if match:
            figures = {k: float(v) for k, v in FIELD.findall(match.group(4))}
            found[(match.group(2), match.group(3))].append(figures)
    return found


def errors(run: dict[str, float]) -> float:
    return sum(v for k, v in run.items() if k.endswith("errors") or k in {"timeouts", "non_2xx"})


def main(path: str, connections: str) -> None:
    found = rows(path)
    layouts = list(dict.fromkeys(layout for layout, _ in found))
    print(f"| layout (workers x threads, class) | {connections} connections | requests/s "
          "(min-max) | p50 ms | p99 ms | errors |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for layout in layouts:
        shape, _, kind = layout.partition(":")
        for target in ("numbers", "geo"):
            runs = found.get((layout, target), [])
            if not runs:
                continue
            rps = [run["rps"] for run in runs]
            p50 = statistics.median(run["p50_ms"] for run in runs)
            p99 = statistics.median(run["p99_ms"] for run in runs)
            print(f"| {shape} {kind or 'gthread'} | {target} | {statistics.median(rps):.0f} "
                  f"({min(rps):.0f}-{max(rps):.0f}) | {p50:.1f} | {p99:.1f} "
                  f"| {sum(errors(run) for run in runs):.0f} |")  # fmt: skip
    print(f"\n(median of {max(len(r) for r in found.values())} rounds; numbers = the strict list "
          "page of 50, geo = /postal-codes/at at random points, uncached)")  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:3])
