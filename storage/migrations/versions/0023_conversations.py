"""conversations: two-way threads with contacts (SMS, in-app chat) and their messages

Revision ID: 0023_conversations
Revises: 0022_revenue
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023_conversations"
down_revision: str | Sequence[str] | None = "0022_revenue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _conversation() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("channel", _text(16), nullable=False),
        sa.Column("status", _text(16), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conversation_contact_channel", "conversation", ["contact_id", "channel"], unique=False)
    op.create_index("ix_conversation_status_last", "conversation", ["status", "last_message_at"], unique=False)


def _message() -> None:
    op.create_table(
        "conversation_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("direction", _text(3), nullable=False),
        sa.Column("author", _text(10), nullable=False),
        sa.Column("agent_user_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("intent", _text(100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("provider_ref", _text(200), nullable=True),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conversation_message_conv", "conversation_message", ["conversation_id", "id"], unique=False)
    op.create_index("ix_conversation_message_ref", "conversation_message", ["provider_ref"], unique=False)


def upgrade() -> None:
    _conversation()
    _message()


def downgrade() -> None:
    op.drop_index("ix_conversation_message_ref", table_name="conversation_message")
    op.drop_index("ix_conversation_message_conv", table_name="conversation_message")
    op.drop_table("conversation_message")
    op.drop_index("ix_conversation_status_last", table_name="conversation")
    op.drop_index("ix_conversation_contact_channel", table_name="conversation")
    op.drop_table("conversation")
