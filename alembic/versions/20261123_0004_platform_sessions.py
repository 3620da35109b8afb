"""platform: per-user token generation and disabled flag; ended sessions by user

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "user",
        sa.Column("token_generation", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    op.add_column(
        "user",
        sa.Column("disabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    # Rows now hold ended sessions (the `sid` shared by a session's tokens); tokens issued
    # before this revision carry no `sid` and no `gen`, so they stop working: log in again.
    op.add_column("revoked_token", sa.Column("username", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_revoked_token_username"), "revoked_token", ["username"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_revoked_token_username"), table_name="revoked_token")
    op.drop_column("revoked_token", "username")
    op.drop_column("user", "disabled")
    op.drop_column("user", "token_generation")
