"""Entry relative to a date attribute: 24 h before departure_date, or every year on the birthday."""

from typing import Literal

from pydantic import Field

from journeys.durations import Duration
from journeys.fields import TimeOfDay
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    attribute: str = Field(min_length=1, description="Contact date attribute, e.g. birthday")
    direction: Literal["before", "on", "after"] = "on"
    offset: Duration = Field(default_factory=lambda: Duration(amount=0, unit="days"))
    time_of_day: TimeOfDay | None = Field(default=None, description="HH:MM in the contact's time zone")
    repeat: Literal["once", "yearly"] = "once"


def summary(config: Config) -> str:
    when = (
        config.attribute
        if config.direction == "on"
        else f"{config.offset.describe()} {config.direction} {config.attribute}"
    )
    yearly = ", every year" if config.repeat == "yearly" else ""
    return f"On {when}{yearly}" if config.direction == "on" else f"{when}{yearly}"


def phrase(config: Config) -> Phrase:
    code = "date_on" if config.direction == "on" else f"date_{config.direction}"
    yearly = "_yearly" if config.repeat == "yearly" else ""
    return Phrase(code + yearly, {"attribute": config.attribute, "offset": config.offset})


SPEC = NodeSpec(
    type="entry.date",
    rank=4,
    label="Date trigger",
    category="entry",
    icon="cake",
    description="Contacts enter around a date stored on their profile.",
    config_model=Config,
    summary=summary,
    phrase=phrase,
    example={"attribute": "birthday", "direction": "on", "time_of_day": "09:00", "repeat": "yearly"},
)
