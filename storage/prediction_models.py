"""Predicted goals: the goals a workspace wants scored, the models trained for them and each contact's score."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from storage.types import JSONType


class PredictionGoal(SQLModel, table=True):
    """A goal event to predict (``Order Completed`` -> slug ``order_completed``) within a horizon in days."""

    __tablename__ = "prediction_goal"

    slug: str = Field(primary_key=True, max_length=80)
    event: str = Field(max_length=200)
    horizon_days: int = 14
    created_at: int = 0
    # The last training attempt: when, and the refusal in words when there was too little data ("" when trained).
    attempted_at: int = 0
    refusal: str = Field(default="", max_length=500)


class PredictionModel(SQLModel, table=True):
    """One trained model of a goal: its holdout figures, its report (calibration, drivers, bands) and itself."""

    __tablename__ = "prediction_model"
    __table_args__ = (Index("ix_prediction_model_goal", "goal_slug", "trained_at"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_slug: str = Field(max_length=80)
    trained_at: int = 0
    horizon_days: int = 14
    contacts: int = 0
    positives: int = 0
    auc: float = 0.0
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    blob: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PredictionScore(SQLModel, table=True):
    """A contact's latest score (0 to 1) and band for a goal, from the model that computed it."""

    __tablename__ = "prediction_score"
    __table_args__ = (Index("ix_prediction_score_goal_score", "goal_slug", "score"),)

    goal_slug: str = Field(primary_key=True, max_length=80)
    contact_id: int = Field(primary_key=True, foreign_key="contact.id")
    model_id: int
    score: float
    band: str = Field(max_length=8)
    scored_at: int = 0
