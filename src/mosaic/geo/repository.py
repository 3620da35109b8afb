"""Persistence of postal codes, paystats and the data revision (the write side of `seed geo`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from mosaic.geo.domain import Paystat, PostalCode
from mosaic.geo.models import (
    DATASET,
    GeoRevisionModel,
    MonthlyTurnoverModel,
    PaystatModel,
    PostalCodeModel,
)
from mosaic.platform.db import UnitOfWork


class PostalCodeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert_many(self, postal_codes: Sequence[PostalCode]) -> None:
        """Insert or update by id; the source's polygons are stored as MultiPolygons."""
        if not postal_codes:
            return
        rows = [
            {
                "id": p.id,
                "code": p.code,
                "geom": func.ST_Multi(func.ST_GeomFromEWKB(bytes.fromhex(p.geometry_ewkb_hex))),
            }
            for p in postal_codes
        ]
        statement = insert(PostalCodeModel).values(rows)
        excluded = statement.excluded
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["id"], set_={"code": excluded.code, "geom": excluded.geom}
            )
        )

    def ids(self) -> set[int]:
        return set(self.session.scalars(select(PostalCodeModel.id)))


class PaystatRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert_many(self, paystats: Sequence[Paystat]) -> None:
        if not paystats:
            return
        rows = [
            {
                "id": p.id,
                "postal_code_id": p.postal_code_id,
                "month_on": p.month,
                "age_group": p.age_group,
                "gender": p.gender,
                "amount": p.amount,
            }
            for p in paystats
        ]
        statement = insert(PaystatModel).values(rows)
        columns = ("postal_code_id", "month_on", "age_group", "gender", "amount")
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["id"], set_={c: statement.excluded[c] for c in columns}
            )
        )

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(PaystatModel)) or 0)


class MonthlyTurnoverRepository:
    """The rollup every widget reads; rebuilt from paystats in the seed's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rebuild(self) -> None:
        P = PaystatModel  # noqa: N806  # pylint: disable=invalid-name
        keys = (P.postal_code_id, P.month_on, P.age_group, P.gender)
        totals = select(*keys, func.sum(P.amount)).group_by(*keys)
        columns = ("postal_code_id", "month_on", "age_group", "gender", "turnover")
        self.session.execute(delete(MonthlyTurnoverModel))
        self.session.execute(insert(MonthlyTurnoverModel).from_select(columns, totals))


class RevisionRepository:
    """The geo data revision: a counter `seed geo` bumps, read into every cache key."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def bump(self) -> int:
        first = insert(GeoRevisionModel).values(dataset=DATASET, revision=1)
        statement = first.on_conflict_do_update(
            index_elements=["dataset"],
            set_={"revision": GeoRevisionModel.revision + 1, "changed_at": func.now()},
        ).returning(GeoRevisionModel.revision)
        return int(self.session.scalar(statement) or 0)


class GeoUnitOfWork(UnitOfWork):
    postal_codes: PostalCodeRepository
    paystats: PaystatRepository
    monthly_turnover: MonthlyTurnoverRepository
    revisions: RevisionRepository

    def _start(self, session: Session) -> None:
        self.monthly_turnover = MonthlyTurnoverRepository(session)
        self.postal_codes = PostalCodeRepository(session)
        self.paystats = PaystatRepository(session)
        self.revisions = RevisionRepository(session)
