"""Table models of the geo context: postal codes, their monthly payment stats, the data revision."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from mosaic.platform.db import Base

# The source carries up to 7 integer and 10 decimal digits; NUMERIC(20, 10) keeps them all.
AMOUNT = Numeric(20, 10)
# The key of geo's row in `geo_revision`: the seed bumps it, the read side keys caches on it.
DATASET = "geo"


class PostalCodeModel(Base):
    __tablename__ = "postal_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(5), unique=True)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False
    )

    __table_args__ = (CheckConstraint("code ~ '^[0-9]{5}$'", name="code_format"),)


class PaystatModel(Base):
    __tablename__ = "paystat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    postal_code_id: Mapped[int] = mapped_column(
        ForeignKey("postal_code.id", ondelete="CASCADE"), nullable=False
    )
    month_on: Mapped[date] = mapped_column(Date, nullable=False)
    age_group: Mapped[str] = mapped_column(String(5), nullable=False)
    gender: Mapped[str] = mapped_column(String(1), nullable=False)
    amount: Mapped[Decimal] = mapped_column(AMOUNT, nullable=False)

    __table_args__ = (
        CheckConstraint(
            "age_group IN ('<=24', '25-34', '35-44', '45-54', '55-64', '>=65')", name="age_group"
        ),
        CheckConstraint("gender IN ('F', 'M')", name="gender"),
        CheckConstraint("month_on = date_trunc('month', month_on)::date", name="month_on_first"),
        # The choropleth and per-postal-code widgets group by postal code, then filter by month.
        Index("ix_paystat_postal_code_id_month_on", "postal_code_id", "month_on"),
        # Region-wide widgets filter by month and group by age/gender.
        Index("ix_paystat_month_on_age_group_gender", "month_on", "age_group", "gender"),
    )


class MonthlyTurnoverModel(Base):
    """Rollup of paystats by postal code, month, age group and gender, rebuilt by `seed geo`.

    Every widget reads it: its size is bounded by the grain (postal codes x months x 12 groups),
    not by how many source rows feed it.
    """

    __tablename__ = "monthly_turnover"

    postal_code_id: Mapped[int] = mapped_column(
        ForeignKey("postal_code.id", ondelete="CASCADE"), primary_key=True
    )
    month_on: Mapped[date] = mapped_column(Date, primary_key=True)
    age_group: Mapped[str] = mapped_column(String(5), primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)
    turnover: Mapped[Decimal] = mapped_column(Numeric(28, 10), nullable=False)


class GeoRevisionModel(Base):
    """One row per dataset: `seed geo` bumps `revision`, cache keys include it."""

    __tablename__ = "geo_revision"

    dataset: Mapped[str] = mapped_column(String(32), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
