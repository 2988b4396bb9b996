"""journey key: the stable key a journey file carries, for journeys kept as code

Revision ID: 0013_journey_key
Revises: 0001_foundation
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013_journey_key'
down_revision: str | Sequence[str] | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('journey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_journey_key', ['key'])


def downgrade() -> None:
    with op.batch_alter_table('journey', schema=None) as batch_op:
        batch_op.drop_constraint('uq_journey_key', type_='unique')
        batch_op.drop_column('key')
