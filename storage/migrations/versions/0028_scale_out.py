"""scale-out: contact partitions with their own event cursors and leases, worker heartbeats, job leases

Revision ID: 0028_scale_out
Revises: 0027_predictions
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0028_scale_out"
down_revision: str | Sequence[str] | None = "0027_predictions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTITIONS_POSTGRES = 16  # storage/partitions.py


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    partition = op.create_table(
        "engine_partition",
        sa.Column("part", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("owner", _text(200), nullable=True),
        sa.Column("lease_until", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("part"),
    )
    op.create_table(
        "engine_worker",
        sa.Column("id", _text(200), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "job_lease",
        sa.Column("name", _text(120), nullable=False),
        sa.Column("owner", _text(200), nullable=False),
        sa.Column("lease_until", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    bind = op.get_bind()
    # Every partition starts where the single event cursor stood.
    start = bind.execute(sa.text("SELECT position FROM engine_cursor WHERE name = 'events'")).scalar() or 0
    postgres = bind.dialect.name == "postgresql"
    count = PARTITIONS_POSTGRES if postgres else 1
    op.bulk_insert(partition, [{"part": p, "position": start, "owner": None, "lease_until": 0} for p in range(count)])
    if postgres:
        op.execute(f"CREATE INDEX ix_event_partition ON event (mod(contact_id, {PARTITIONS_POSTGRES}), id)")
        op.execute(f"CREATE INDEX ix_enrollment_partition ON enrollment (mod(contact_id, {PARTITIONS_POSTGRES}), due_at) WHERE status = 'active'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_enrollment_partition")
        op.execute("DROP INDEX ix_event_partition")
    op.drop_table("job_lease")
    op.drop_table("engine_worker")
    op.drop_table("engine_partition")
