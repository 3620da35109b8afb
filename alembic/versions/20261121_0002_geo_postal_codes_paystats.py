"""geo: postal codes (MultiPolygon 4326, GiST), paystats, their monthly rollup, the data revision

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGE_GROUPS = "age_group IN ('<=24', '25-34', '35-44', '45-54', '55-64', '>=65')"


def upgrade() -> None:
    op.create_table(
        "postal_code",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column(
            "geom",
            Geometry(geometry_type="MULTIPOLYGON", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.CheckConstraint("code ~ '^[0-9]{5}$'", name=op.f("ck_postal_code_code_format")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postal_code")),
        sa.UniqueConstraint("code", name=op.f("uq_postal_code_code")),
    )
    op.create_index(
        "idx_postal_code_geom", "postal_code", ["geom"], unique=False, postgresql_using="gist"
    )
    op.create_table(
        "paystat",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("postal_code_id", sa.Integer(), nullable=False),
        sa.Column("month_on", sa.Date(), nullable=False),
        sa.Column("age_group", sa.String(length=5), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("amount", sa.Numeric(precision=20, scale=10), nullable=False),
        sa.CheckConstraint(AGE_GROUPS, name=op.f("ck_paystat_age_group")),
        sa.CheckConstraint("gender IN ('F', 'M')", name=op.f("ck_paystat_gender")),
        sa.CheckConstraint(
            "month_on = date_trunc('month', month_on)::date", name=op.f("ck_paystat_month_on_first")
        ),
        sa.ForeignKeyConstraint(
            ["postal_code_id"],
            ["postal_code.id"],
            name=op.f("fk_paystat_postal_code_id_postal_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paystat")),
    )
    op.create_index("ix_paystat_postal_code_id_month_on", "paystat", ["postal_code_id", "month_on"])
    op.create_index(
        "ix_paystat_month_on_age_group_gender", "paystat", ["month_on", "age_group", "gender"]
    )
    op.create_table(
        "monthly_turnover",
        sa.Column("postal_code_id", sa.Integer(), nullable=False),
        sa.Column("month_on", sa.Date(), nullable=False),
        sa.Column("age_group", sa.String(length=5), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("turnover", sa.Numeric(precision=28, scale=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["postal_code_id"],
            ["postal_code.id"],
            name=op.f("fk_monthly_turnover_postal_code_id_postal_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "postal_code_id", "month_on", "age_group", "gender", name=op.f("pk_monthly_turnover")
        ),
    )
    op.create_table(
        "geo_revision",
        sa.Column("dataset", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("dataset", name=op.f("pk_geo_revision")),
    )


def downgrade() -> None:
    op.drop_table("geo_revision")
    op.drop_table("monthly_turnover")
    op.drop_index("ix_paystat_month_on_age_group_gender", table_name="paystat")
    op.drop_index("ix_paystat_postal_code_id_month_on", table_name="paystat")
    op.drop_table("paystat")
    op.drop_index("idx_postal_code_geom", table_name="postal_code", postgresql_using="gist")
    op.drop_table("postal_code")
