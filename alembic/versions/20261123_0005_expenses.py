"""expenses: department, project, member, expense and the expense revision counter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGISTERS = ("department", "project", "member")


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    for name in REGISTERS:
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=100), nullable=False),
            *_timestamps(),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
            sa.UniqueConstraint("name", name=op.f(f"uq_{name}_name")),
        )
    op.create_table(
        "expense",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        *_timestamps(),
        sa.CheckConstraint("amount > 0", name=op.f("ck_expense_amount_positive")),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_expense_currency_iso_4217")),
        *[
            sa.ForeignKeyConstraint(
                [f"{name}_id"],
                [f"{name}.id"],
                name=op.f(f"fk_expense_{name}_id_{name}"),
                ondelete="RESTRICT",
            )
            for name in REGISTERS
        ],
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense")),
    )
    for name in REGISTERS:
        op.create_index(op.f(f"ix_expense_{name}_id"), "expense", [f"{name}_id"], unique=False)
    op.create_index("ix_expense_spent_on_id", "expense", ["spent_on", "id"], unique=False)
    op.create_index("ix_expense_amount_id", "expense", ["amount", "id"], unique=False)
    revision_table = op.create_table(
        "expense_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense_revision")),
    )
    op.bulk_insert(revision_table, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("expense_revision")
    op.drop_table("expense")
    for name in reversed(REGISTERS):
        op.drop_table(name)
