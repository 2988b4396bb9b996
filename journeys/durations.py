"""Durations as marketers write them: an amount and a unit."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Unit = Literal["minutes", "hours", "days", "weeks"]

_SINGULAR = {"minutes": "minute", "hours": "hour", "days": "day", "weeks": "week"}


class Duration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=0, le=100_000, description="How many units")
    unit: Unit = Field(default="hours", description="minutes, hours, days or weeks")

    def to_timedelta(self) -> timedelta:
        return timedelta(**{self.unit: self.amount})

    def describe(self) -> str:
        word = _SINGULAR[self.unit] if self.amount == 1 else self.unit
        return f"{self.amount} {word}"
