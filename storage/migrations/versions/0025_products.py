"""products: the product catalogue and each contact's recommended products

Revision ID: 0025_products
Revises: 0024_faq
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0025_products"
down_revision: str | Sequence[str] | None = "0024_faq"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "product",
        sa.Column("product_id", _text(200), nullable=False),
        sa.Column("name", _text(500), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("url", _text(2000), nullable=False),
        sa.Column("image_url", _text(2000), nullable=False),
        sa.Column("source", _text(16), nullable=False),
        sa.Column("popularity", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("product_id"),
    )
    op.create_index("ix_product_popularity", "product", ["popularity"], unique=False)
    op.create_table(
        "product_recommendation",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("product_ids", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("contact_id"),
    )


def downgrade() -> None:
    op.drop_table("product_recommendation")
    op.drop_index("ix_product_popularity", table_name="product")
    op.drop_table("product")
