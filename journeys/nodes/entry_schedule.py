"""Entry on a schedule: once at a moment, or recurring (cron), for a segment or everyone."""

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from journeys import cron
from journeys.fields import TimeZoneName
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    mode: Literal["once", "recurring"] = "once"
    at: datetime | None = Field(default=None, description="When to run, for a one-off schedule")
    cron: str | None = Field(default=None, description="minute hour day month weekday, for recurring")
    time_zone: TimeZoneName = Field(default="UTC", description="Time zone the schedule is read in")
    segment: str | None = Field(default=None, description="Segment to enrol; empty means all contacts")

    @model_validator(mode="after")
    def _mode_fields(self) -> "Config":
        if self.mode == "once" and self.at is None:
            raise ValueError("a one-off schedule needs 'at'")
        if self.mode == "recurring":
            if not self.cron:
                raise ValueError("a recurring schedule needs 'cron' with 5 fields, e.g. '0 9 * * 1'")
            cron.check(self.cron)  # names the bad field: "hour: 25 is outside 0-23"
        return self


def summary(config: Config) -> str:
    who = config.segment or "all contacts"
    when = config.at.strftime("%Y-%m-%d %H:%M") if config.mode == "once" and config.at else f"cron {config.cron}"
    return f"{who}, {when} {config.time_zone}"


def phrase(config: Config) -> Phrase:
    who: object = config.segment or Phrase("all_contacts")
    if config.mode == "once" and config.at:
        return Phrase(
            "schedule_once", {"who": who, "at": config.at.strftime("%Y-%m-%d %H:%M"), "zone": config.time_zone}
        )
    return Phrase("schedule_recurring", {"who": who, "cron": config.cron or "", "zone": config.time_zone})


SPEC = NodeSpec(
    type="entry.schedule",
    rank=3,
    label="Scheduled entry",
    category="entry",
    icon="event",
    description="Enrol a segment or everyone at a set time, once or on repeat.",
    config_model=Config,
    summary=summary,
    phrase=phrase,
    example={"mode": "recurring", "cron": "0 9 * * 1", "time_zone": "Europe/Paris"},
)
