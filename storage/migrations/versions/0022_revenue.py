"""revenue: the revenue and currency of each conversion, and the holdout group of enrollments and conversions

Revision ID: 0022_revenue
Revises: 0021_integrations
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_revenue"
down_revision: str | Sequence[str] | None = "0021_integrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _held_out() -> sa.Column:
    return sa.Column("held_out", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="")


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the enrollment table can hold millions of rows.
    op.add_column("enrollment", _held_out())
    op.add_column("conversion", sa.Column("revenue", sa.Float(), nullable=True))
    op.add_column(
        "conversion",
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False, server_default=""),
    )
    op.add_column("conversion", _held_out())
    op.create_index("ix_conversion_at", "conversion", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_conversion_at", table_name="conversion")
    with op.batch_alter_table("conversion") as batch:
        batch.drop_column("held_out")
        batch.drop_column("currency")
        batch.drop_column("revenue")
    with op.batch_alter_table("enrollment") as batch:
        batch.drop_column("held_out")
