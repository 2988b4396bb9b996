"""dashboard counts: per-journey daily totals and an index for active contacts per journey

Revision ID: 0020_dashboard_counts
Revises: 0004_funnels
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020_dashboard_counts"
down_revision: str | Sequence[str] | None = ("0003_engine", "0004_funnels")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journey_day_count",
        sa.Column("journey_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("journey_id", "period", "metric"),
        sqlite_with_rowid=False,
    )
    # Existing counters carry over: the daily buckets summed over every other dimension.
    op.execute(
        "INSERT INTO journey_day_count (journey_id, period, metric, count)"
        " SELECT journey_id, period, metric, SUM(count) FROM metric_bucket WHERE grain = 86400"
        " GROUP BY journey_id, period, metric"
    )
    op.create_index("ix_enrollment_status_journey", "enrollment", ["status", "journey_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_enrollment_status_journey", table_name="enrollment")
    op.drop_table("journey_day_count")
