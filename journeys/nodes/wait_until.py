"""Wait until a time of day (optionally on given weekdays) or a date, in the contact's time zone."""

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from journeys.fields import TimeOfDay
from journeys.localtime import local_moment, next_time_of_day, parse_hhmm, to_epoch, zone
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.steps.types import Decision, Env, State

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Config(StrictConfig):
    mode: Literal["time_of_day", "date"] = "time_of_day"
    time: TimeOfDay = Field(default="09:00", description="HH:MM in the contact's time zone")
    date: dt.date | None = Field(default=None, description="Calendar date, for mode 'date'")
    weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=list, description="Only these days; empty means any day"
    )

    @model_validator(mode="after")
    def _date_needed(self) -> "Config":
        if self.mode == "date" and self.date is None:
            raise ValueError("mode 'date' needs a date")
        return self


def summary(config: Config) -> str:
    if config.mode == "date" and config.date:
        return f"Wait until {config.date.isoformat()} {config.time}"
    days = f" on {', '.join(config.weekdays)}" if config.weekdays else ""
    return f"Wait until {config.time}{days} local time"


def phrase(config: Config) -> Phrase:
    if config.mode == "date" and config.date:
        return Phrase("wait_until_date", {"date": config.date.isoformat(), "time": config.time})
    if config.weekdays:
        days = [Phrase(f"weekday.{d}") for d in config.weekdays]
        return Phrase("wait_until_days", {"time": config.time, "days": days})
    return Phrase("wait_until_time", {"time": config.time})


def contact_zone(env: Env) -> Any:
    return zone(env.contact.time_zone, env.settings.default_time_zone or env.policy.default_time_zone)


def step(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("next")
    tz = contact_zone(env)
    if config.mode == "date":
        target = to_epoch(local_moment(config.date, parse_hhmm(config.time), tz))
        return Decision.go("next") if target <= env.now else Decision.wait(target)
    days = {WEEKDAYS.index(d) for d in config.weekdays} or None
    return Decision.wait(next_time_of_day(env.now, config.time, tz, days))


SPEC = NodeSpec(
    type="wait.until",
    rank=2,
    label="Wait until",
    category="wait",
    icon="schedule",
    description="Pause until a time of day or a date in the contact's time zone.",
    config_model=Config,
    summary=summary,
    phrase=phrase,
    step=step,
    example={"mode": "time_of_day", "time": "09:00"},
)
