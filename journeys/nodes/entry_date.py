"""Entry relative to a date attribute: 24 h before departure_date, or every year on the birthday."""

from typing import Literal

from pydantic import Field, field_validator

from journeys.durations import Duration
from journeys.nodes.base import NodeSpec, StrictConfig


class Config(StrictConfig):
    attribute: str = Field(min_length=1, description="Contact date attribute, e.g. birthday")
    direction: Literal["before", "on", "after"] = "on"
    offset: Duration = Field(default_factory=lambda: Duration(amount=0, unit="days"))
    time_of_day: str | None = Field(default=None, description="HH:MM in the contact's time zone")
    repeat: Literal["once", "yearly"] = "once"

    @field_validator("time_of_day")
    @classmethod
    def _hh_mm(cls, value: str | None) -> str | None:
        if value is None:
            return value
        hour, _, minute = value.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError("time_of_day must be HH:MM")
        return f"{int(hour):02d}:{int(minute):02d}"


def summary(config: Config) -> str:
    when = (
        config.attribute
        if config.direction == "on"
        else f"{config.offset.describe()} {config.direction} {config.attribute}"
    )
    yearly = ", every year" if config.repeat == "yearly" else ""
    return f"On {when}{yearly}" if config.direction == "on" else f"{when}{yearly}"


SPEC = NodeSpec(
    type="entry.date",
    label="Date trigger",
    category="entry",
    icon="cake",
    description="Contacts enter around a date stored on their profile.",
    config_model=Config,
    summary=summary,
    example={"attribute": "birthday", "direction": "on", "time_of_day": "09:00", "repeat": "yearly"},
)
