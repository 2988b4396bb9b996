"""event writes: drop ix_event_name, a prefix of ix_event_name_ts that every insert paid for

Revision ID: 0007_event_writes
Revises: 0002_audience
Create Date: 2026-11-26
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0007_event_writes'
down_revision: str | Sequence[str] | None = '0002_audience'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_event_name', table_name='event')


def downgrade() -> None:
    op.create_index('ix_event_name', 'event', ['name'], unique=False)
