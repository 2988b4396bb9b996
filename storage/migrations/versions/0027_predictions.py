"""predictions: goals to predict, trained models and each contact's score and band

Revision ID: 0027_predictions
Revises: 0026_send_time
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0027_predictions"
down_revision: str | Sequence[str] | None = "0026_send_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "prediction_goal",
        sa.Column("slug", _text(80), nullable=False),
        sa.Column("event", _text(200), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.Integer(), nullable=False),
        sa.Column("refusal", _text(500), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "prediction_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_slug", _text(80), nullable=False),
        sa.Column("trained_at", sa.Integer(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("positives", sa.Integer(), nullable=False),
        sa.Column("auc", sa.Float(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_prediction_model_goal", "prediction_model", ["goal_slug", "trained_at"], unique=False)
    op.create_table(
        "prediction_score",
        sa.Column("goal_slug", _text(80), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", _text(8), nullable=False),
        sa.Column("scored_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("goal_slug", "contact_id"),
    )
    op.create_index("ix_prediction_score_goal_score", "prediction_score", ["goal_slug", "score"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_prediction_score_goal_score", table_name="prediction_score")
    op.drop_table("prediction_score")
    op.drop_index("ix_prediction_model_goal", table_name="prediction_model")
    op.drop_table("prediction_model")
    op.drop_table("prediction_goal")
