"""integrations: deliveries received from Shopify and WooCommerce webhooks

Revision ID: 0021_integrations
Revises: 0020_dashboard_counts
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021_integrations"
down_revision: str | Sequence[str] | None = "0020_dashboard_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integration_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("integration", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("delivery_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("received_at", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("integration", "delivery_id", name="uq_integration_delivery"),
    )
    op.create_index("ix_integration_delivery_recent", "integration_delivery", ["integration", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_integration_delivery_recent", table_name="integration_delivery")
    op.drop_table("integration_delivery")
