"""The department, project, member and expense tables, and the revision counter of the cache."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from mosaic.platform.db import Base


class _Register:
    """Columns of every named register (department, project, member)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class DepartmentModel(_Register, Base):
    __tablename__ = "department"


class ProjectModel(_Register, Base):
    __tablename__ = "project"


class MemberModel(_Register, Base):
    __tablename__ = "member"


class ExpenseModel(Base):
    __tablename__ = "expense"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso_4217"),
        # Keyset pages and ranges on the two columns lists sort by most.
        Index("ix_expense_spent_on_id", "spent_on", "id"),
        Index("ix_expense_amount_id", "amount", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="RESTRICT"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    spent_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, server_default="")
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class ExpenseRevisionModel(Base):
    """One row counting the changes to expenses and their registers: cached reads key on it."""

    __tablename__ = "expense_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
