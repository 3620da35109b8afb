"""The `seed geo` use case: validate both files completely, then upsert them in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mosaic.geo.domain import (
    InvalidRecord,
    Paystat,
    PostalCode,
    parse_amount,
    parse_int,
    parse_month,
)
from mosaic.geo.repository import GeoUnitOfWork
from mosaic.platform.errors import RuleViolation

SourceRow = tuple[int, Mapping[str, str]]  # (line number in the file, the row by column name)
Progress = Callable[[int], None]
E = TypeVar("E")
BATCH_SIZE = 2000
MAX_REPORTED = 20


class DatasetRejected(RuleViolation):
    """Some rows are invalid: nothing was loaded. `problems` lists them as 'file:line: why'."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        suffix = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(problems)} invalid row(s), nothing loaded:\n{shown}{suffix}")
        self.problems = problems


@dataclass(frozen=True)
class SeedReport:
    postal_codes: int
    paystats: int
    revision: int


def postal_code_from(row: Mapping[str, str]) -> PostalCode:
    return PostalCode(
        id=parse_int(row.get("id", ""), "id"),
        code=(row.get("code") or "").strip(),
        geometry_ewkb_hex=(row.get("the_geom") or "").strip(),
    )


def paystat_from(row: Mapping[str, str]) -> Paystat:
    return Paystat(
        id=parse_int(row.get("id", ""), "id"),
        postal_code_id=parse_int(row.get("postal_code_id", ""), "postal_code_id"),
        month=parse_month(row.get("p_month", "")),
        age_group=row.get("p_age", ""),
        gender=row.get("p_gender", ""),
        amount=parse_amount(row.get("amount", "")),
    )


def _parse(
    name: str, rows: Iterable[SourceRow], build: Callable[[Mapping[str, str]], E]
) -> tuple[list[tuple[int, E]], list[str]]:
    parsed: list[tuple[int, E]] = []
    problems: list[str] = []
    for line, row in rows:
        try:
            parsed.append((line, build(row)))
        except InvalidRecord as error:
            problems.append(f"{name}:{line}: {error}")
    return parsed, problems


def _duplicates(name: str, rows: Sequence[tuple[int, object]], attribute: str) -> list[str]:
    seen: dict[object, int] = {}
    problems = []
    for line, entity in rows:
        value = getattr(entity, attribute)
        if value in seen:
            problems.append(f"{name}:{line}: {attribute} {value} repeats line {seen[value]}")
        seen.setdefault(value, line)
    return problems


class GeoSeeding:
    def __init__(self, uow: Callable[[], GeoUnitOfWork], *, batch_size: int = BATCH_SIZE) -> None:
        self.uow = uow
        self.batch_size = batch_size

    def load(
        self,
        *,
        postal_codes: Iterable[SourceRow],
        paystats: Iterable[SourceRow],
        progress: Progress = lambda done: None,
    ) -> SeedReport:
        """Validate every row of both files, then upsert by id and bump the data revision."""
        codes, problems = _parse("postal_codes.csv", postal_codes, postal_code_from)
        stats, paystat_problems = _parse("paystats.csv", paystats, paystat_from)
        problems += _duplicates("postal_codes.csv", codes, "id")
        problems += _duplicates("postal_codes.csv", codes, "code")
        problems += paystat_problems + _duplicates("paystats.csv", stats, "id")
        with self.uow() as uow:
            problems += _unknown_postal_codes(
                stats, uow.postal_codes.ids() | {c.id for _, c in codes}
            )
            if problems:
                raise DatasetRejected(problems)
            self._write(uow, [c for _, c in codes], [s for _, s in stats], progress)
            revision = uow.revisions.bump()
            uow.commit()
        return SeedReport(postal_codes=len(codes), paystats=len(stats), revision=revision)

    def _write(
        self,
        uow: GeoUnitOfWork,
        codes: list[PostalCode],
        stats: list[Paystat],
        progress: Progress,
    ) -> None:
        uow.postal_codes.upsert_many(codes)
        progress(len(codes))
        for start in range(0, len(stats), self.batch_size):
            batch = stats[start : start + self.batch_size]
            uow.paystats.upsert_many(batch)
            progress(len(batch))
        uow.monthly_turnover.rebuild()


def _unknown_postal_codes(stats: list[tuple[int, Paystat]], known: set[int]) -> list[str]:
    return [
        f"paystats.csv:{line}: postal_code_id {stat.postal_code_id} is unknown"
        for line, stat in stats
        if stat.postal_code_id not in known
    ]
