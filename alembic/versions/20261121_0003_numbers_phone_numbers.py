"""numbers: the phone_number table (DID inventory) and its revision counter

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "phone_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=16), nullable=False),
        sa.Column("monthly_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("setup_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "monthly_price >= 0", name=op.f("ck_phone_number_monthly_price_not_negative")
        ),
        sa.CheckConstraint(
            "setup_price >= 0", name=op.f("ck_phone_number_setup_price_not_negative")
        ),
        sa.CheckConstraint(
            "currency IN ('USD', 'BRL', 'EUR')", name=op.f("ck_phone_number_currency_known")
        ),
        sa.CheckConstraint(
            "value ~ '^\\+[1-9][0-9]{6,14}$'", name=op.f("ck_phone_number_value_e164")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_number")),
        sa.UniqueConstraint("value", name=op.f("uq_phone_number_value")),
    )
    revision_table = op.create_table(
        "phone_number_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_number_revision")),
    )
    op.bulk_insert(revision_table, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("phone_number_revision")
    op.drop_table("phone_number")
