"""CSV datasets: read with line numbers, validate every row, report what is wrong by line.

A loader parses every row before it writes any: a file with one bad row is refused whole,
with each problem as `file:line: why` (the header is line 1).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from mosaic.platform.errors import RuleViolation

SourceRow = tuple[int, Mapping[str, str]]  # (line number in the file, the row by column name)
E = TypeVar("E")
MAX_REPORTED = 20


class DatasetRejected(RuleViolation):
    """Some rows are invalid: nothing was loaded. `problems` lists them as 'file:line: why'."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        suffix = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(problems)} invalid row(s), nothing loaded:\n{shown}{suffix}")
        self.problems = problems


def read_rows(path: Path) -> list[SourceRow]:
    """Every row of a UTF-8 CSV file with a header, with its line number."""
    csv.field_size_limit(sys.maxsize)  # geometries in hex EWKB run past the 128 KiB default
    with path.open(newline="", encoding="utf-8") as source:
        return list(rows_of(source))


def rows_of(
    lines: Iterable[str], *, required: Sequence[str] = (), name: str = "upload"
) -> Iterator[SourceRow]:
    """Rows of CSV text (a file, or an upload decoded to text) with their line numbers; a
    header without every `required` column is refused before any row is read."""
    reader = csv.DictReader(lines)
    missing = [column for column in required if column not in (reader.fieldnames or ())]
    if missing:
        raise DatasetRejected(
            [f"{name}:1: the header lacks {', '.join(missing)}; expected {', '.join(required)}."]
        )
    for row in reader:
        yield reader.line_num, row


def parse_rows(
    name: str,
    rows: Iterable[SourceRow],
    build: Callable[[Mapping[str, str]], E],
    *,
    invalid: tuple[type[Exception], ...] = (ValueError,),
) -> tuple[list[tuple[int, E]], list[str]]:
    """Each row built into an entity, and the problems of the rows `build` refused."""
    parsed: list[tuple[int, E]] = []
    problems: list[str] = []
    for line, row in rows:
        try:
            parsed.append((line, build(row)))
        except invalid as error:
            problems.append(f"{name}:{line}: {error}")
    return parsed, problems


def duplicates(name: str, rows: Sequence[tuple[int, object]], attribute: str) -> list[str]:
    """A problem for each row whose `attribute` repeats an earlier row's."""
    seen: dict[object, int] = {}
    problems = []
    for line, entity in rows:
        value = getattr(entity, attribute)
        if value in seen:
            problems.append(f"{name}:{line}: {attribute} {value} repeats line {seen[value]}")
        seen.setdefault(value, line)
    return problems
