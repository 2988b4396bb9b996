"""bigint ids on PostgreSQL: every id column (``id``, ``*_id``) and key sequence becomes 64-bit (SQLite's already are)

A database created by this revision's code is already so (storage/types.py compiles ids as bigint); this
converts one that ran earlier revisions with 32-bit ids. Nothing to do on SQLite.

Revision ID: 0029_bigint_ids
Revises: 0028_scale_out
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_bigint_ids"
down_revision: str | Sequence[str] | None = "0028_scale_out"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    columns = bind.execute(
        sa.text(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND data_type = 'integer'"
            " AND (column_name = 'id' OR column_name LIKE '%\\_id') ORDER BY table_name, column_name"
        )
    ).all()
    by_table: dict[str, list[str]] = {}
    for table, column in columns:
        by_table.setdefault(table, []).append(column)
    quote = bind.dialect.identifier_preparer.quote
    for table, names in by_table.items():  # one rewrite per table, whatever its number of columns
        changes = ", ".join(f"ALTER COLUMN {quote(name)} TYPE bigint" for name in names)
        op.execute(f"ALTER TABLE {quote(table)} {changes}")
    sequences = bind.execute(
        sa.text(
            "SELECT sequencename FROM pg_sequences"
            " WHERE schemaname = current_schema() AND data_type = 'integer'::regtype"
        )
    ).scalars()
    for name in list(sequences):
        op.execute(f"ALTER SEQUENCE {quote(name)} AS bigint")


def downgrade() -> None:
    """Kept 64-bit: narrowing could fail on ids already past 2**31."""
