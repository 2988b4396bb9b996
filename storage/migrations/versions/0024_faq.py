"""faq: the FAQ bot's knowledge base (entries per language, a revision) and the log of its decisions

Revision ID: 0024_faq
Revises: 0023_conversations
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0024_faq"
down_revision: str | Sequence[str] | None = "0023_conversations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _knowledge() -> None:
    op.create_table(
        "faq_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lang", _text(8), nullable=False),
        sa.Column("intent", _text(64), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("answer", _text(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("updated_by", _text(320), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lang", "intent", name="uq_faq_entry_lang_intent"),
    )
    op.create_table(
        "faq_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def _outcomes() -> None:
    op.create_table(
        "faq_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.Integer(), nullable=False),
        sa.Column("outcome", _text(16), nullable=False),
        sa.Column("reason", _text(32), nullable=False),
        sa.Column("intent", _text(64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_faq_outcome_at", "faq_outcome", ["at"], unique=False)
    op.create_index("ix_faq_outcome_conversation", "faq_outcome", ["conversation_id"], unique=False)


def upgrade() -> None:
    _knowledge()
    _outcomes()


def downgrade() -> None:
    op.drop_index("ix_faq_outcome_conversation", table_name="faq_outcome")
    op.drop_index("ix_faq_outcome_at", table_name="faq_outcome")
    op.drop_table("faq_outcome")
    op.drop_table("faq_revision")
    op.drop_table("faq_entry")
