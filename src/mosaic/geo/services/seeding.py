"""The `seed geo` use case: validate both files completely, then upsert them in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from mosaic.geo.domain import (
    InvalidRecord,
    Paystat,
    PostalCode,
    parse_amount,
    parse_int,
    parse_month,
)
from mosaic.geo.repository import GeoUnitOfWork
from mosaic.platform.datasets import DatasetRejected, SourceRow, duplicates, parse_rows

Progress = Callable[[int], None]
BATCH_SIZE = 2000
POSTAL_CODES_FILE = "postal_codes.csv"
PAYSTATS_FILE = "paystats.csv"
REFUSED = (InvalidRecord,)  # a row the domain refuses; any other error is a bug


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
        codes, problems = parse_rows(
            POSTAL_CODES_FILE, postal_codes, postal_code_from, invalid=REFUSED
        )
        stats, paystat_problems = parse_rows(PAYSTATS_FILE, paystats, paystat_from, invalid=REFUSED)
        problems += duplicates(POSTAL_CODES_FILE, codes, "id")
        problems += duplicates(POSTAL_CODES_FILE, codes, "code")
        problems += paystat_problems + duplicates(PAYSTATS_FILE, stats, "id")
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
        f"{PAYSTATS_FILE}:{line}: postal_code_id {stat.postal_code_id} is unknown"
        for line, stat in stats
        if stat.postal_code_id not in known
    ]
