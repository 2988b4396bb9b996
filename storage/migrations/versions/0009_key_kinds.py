"""key kinds: API keys are tracking (write) keys or management tokens with a role and a last-used time

Existing keys become tracking keys: they were write keys shipped in apps, and must stop reaching the
management API.

Revision ID: 0009_key_kinds
Revises: 0002_audience
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0009_key_kinds'
down_revision: str | Sequence[str] | None = '0002_audience'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('api_key') as batch:
        batch.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                   server_default='tracking'))
        batch.add_column(sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch.add_column(sa.Column('last_used_at', storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # Management tokens have no meaning without the column that tells them apart: drop them, keep write keys.
    op.execute("DELETE FROM api_key WHERE kind = 'management'")
    with op.batch_alter_table('api_key') as batch:
        batch.drop_column('last_used_at')
        batch.drop_column('role')
        batch.drop_column('kind')
