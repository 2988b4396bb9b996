"""quarantine: the dead-letter table for events, enrollments and outbox messages that could not be processed

Revision ID: 0008_quarantine
Revises: 0003_engine
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008_quarantine'
down_revision: str | Sequence[str] | None = '0003_engine'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'quarantine',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('journey_id', sa.Integer(), nullable=True),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'row_id', name='uq_quarantine_row'),
    )
    op.create_index('ix_quarantine_created', 'quarantine', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_quarantine_created', table_name='quarantine')
    op.drop_table('quarantine')
