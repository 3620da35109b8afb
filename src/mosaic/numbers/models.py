"""The phone_number table, its revision counter, and the one mapper from a stored number."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from mosaic.numbers.domain import Currency, PhoneNumber
from mosaic.platform.db import Base


class PhoneNumberModel(Base):
    __tablename__ = "phone_number"
    __table_args__ = (
        CheckConstraint("monthly_price >= 0", name="monthly_price_not_negative"),
        CheckConstraint("setup_price >= 0", name="setup_price_not_negative"),
        CheckConstraint("currency IN ('USD', 'BRL', 'EUR')", name="currency_known"),
        CheckConstraint("value ~ '^\\+[1-9][0-9]{6,14}$'", name="value_e164"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(16), unique=True)  # E.164
    monthly_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    setup_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class PhoneNumberRevisionModel(Base):
    """One row counting the inventory's changes: the list's cache keys include it."""

    __tablename__ = "phone_number_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")


class StoredNumber(Protocol):
    """What a PhoneNumberModel and a row of the phone_number table both have."""

    id: int
    value: str
    monthly_price: Decimal
    setup_price: Decimal
    currency: str
    version: int


def to_entity(stored: StoredNumber) -> PhoneNumber:
    """The entity of a stored number: an ORM model (writes) or a Core row (the read side)."""
    return PhoneNumber(
        id=stored.id,
        value=stored.value,
        monthly_price=stored.monthly_price,
        setup_price=stored.setup_price,
        currency=Currency(stored.currency),
        version=stored.version,
    )
