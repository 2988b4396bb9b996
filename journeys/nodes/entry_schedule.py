"""Entry on a schedule: once at a moment, or recurring (cron), for a segment or everyone."""

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from journeys import cron
from journeys.fields import TimeZoneName
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField


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


FORM = (
    FormField(
        "choose",
        "mode",
        "field.mode",
        options=(("once", "option.once"), ("recurring", "option.recurring")),
        default="once",
    ),
    FormField("text", "at", "field.at", optional=True, hint="2026-12-24T09:00"),
    FormField("text", "cron", "field.cron", optional=True, hint="0 9 * * 1"),
    FormField("pick", "time_zone", "field.time_zone", source="time_zones"),
    FormField("pick", "segment", "field.segment", optional=True, source="segments"),
)

TEXTS = {
    "en": {
        "field.mode": "How often",
        "option.once": "Once",
        "option.recurring": "On repeat",
        "field.at": "Date and time",
        "field.cron": "Repeat rule (minute hour day month weekday)",
        "field.time_zone": "Time zone",
        "field.segment": "Segment (empty: all contacts)",
        "phrase.schedule_once": "{who}, {at} {zone}",
        "phrase.schedule_recurring": "{who}, repeat rule {cron} {zone}",
        "phrase.all_contacts": "all contacts",
        "fix.at": "Enter the date and time to send, such as 2026-12-24T09:00",
        "fix.cron": "Enter a repeat rule, such as 0 9 * * 1 for Mondays at 9:00",
        "fix.time_zone": "Choose a time zone from the list",
        "fix.mode": "Choose how often this journey starts",
    },
    "fr": {
        "label": "Entrée planifiée",
        "description": "Inscrire un segment ou tout le monde à une heure fixe, une fois ou en boucle.",
        "field.mode": "Fréquence",
        "option.once": "Une fois",
        "option.recurring": "En boucle",
        "field.at": "Date et heure",
        "field.cron": "Règle de répétition (minute heure jour mois jour-de-semaine)",
        "field.time_zone": "Fuseau horaire",
        "field.segment": "Segment (vide : tous les contacts)",
        "phrase.schedule_once": "{who}, le {at} {zone}",
        "phrase.schedule_recurring": "{who}, règle de répétition {cron} {zone}",
        "phrase.all_contacts": "tous les contacts",
        "fix.at": "Saisissez la date et l'heure d'envoi, par exemple 2026-12-24T09:00",
        "fix.cron": "Saisissez une règle de répétition, par exemple 0 9 * * 1 pour le lundi à 9 h",
        "fix.time_zone": "Choisissez un fuseau horaire dans la liste",
        "fix.mode": "Choisissez à quelle fréquence ce parcours démarre",
    },
}


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
    form=FORM,
    texts=TEXTS,
)
