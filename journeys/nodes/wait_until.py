"""Wait until a time of day (optionally on given weekdays) or a date, in the contact's time zone."""

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from journeys import send_time
from journeys.delivery import contact_zone
from journeys.fields import TimeOfDay
from journeys.localtime import local_moment, next_time_of_day, parse_hhmm, to_epoch
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.message import best_time
from journeys.steps.types import Decision, Env, State

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Config(StrictConfig):
    mode: Literal["time_of_day", "date", "best_time"] = "time_of_day"
    time: TimeOfDay = Field(
        default="09:00", description="HH:MM in the contact's time zone (mode 'best_time': the fallback time)"
    )
    within_hours: int = Field(
        default=send_time.DEFAULT_WITHIN_HOURS,
        ge=1,
        le=send_time.MAX_WITHIN_HOURS,
        description="Mode 'best_time': the contact's best time within this many hours",
    )
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
    if config.mode == "best_time":
        return f"Wait until the contact's best time within {config.within_hours} h"
    if config.mode == "date" and config.date:
        return f"Wait until {config.date.isoformat()} {config.time}"
    days = f" on {', '.join(config.weekdays)}" if config.weekdays else ""
    return f"Wait until {config.time}{days} local time"


def phrase(config: Config) -> Phrase:
    if config.mode == "best_time":
        return Phrase("wait_until_best_time", {"hours": config.within_hours, "time": config.time})
    if config.mode == "date" and config.date:
        return Phrase("wait_until_date", {"date": config.date.isoformat(), "time": config.time})
    if config.weekdays:
        days = [Phrase(f"weekday.{d}") for d in config.weekdays]
        return Phrase("wait_until_days", {"time": config.time, "days": days})
    return Phrase("wait_until_time", {"time": config.time})


def step(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("next")
    if config.mode == "best_time":
        choice = best_time(env, within_hours=config.within_hours, fallback=config.time)
        if choice.at <= env.now:
            return Decision.go("next")
        return Decision(wait_until=choice.at, outcome="deferred", reason=choice.reason)
    tz = contact_zone(env)
    if config.mode == "date":
        target = to_epoch(local_moment(config.date, parse_hhmm(config.time), tz))
        return Decision.go("next") if target <= env.now else Decision.wait(target)
    days = {WEEKDAYS.index(d) for d in config.weekdays} or None
    return Decision.wait(next_time_of_day(env.now, config.time, tz, days))


FORM = (
    FormField(
        "choose",
        "mode",
        "field.mode",
        options=(("time_of_day", "option.time_of_day"), ("date", "option.date"), ("best_time", "option.best_time")),
        default="time_of_day",
    ),
    FormField("text", "time", "field.time", hint="09:00"),
    FormField("text", "date", "field.date", optional=True, hint="2026-12-24"),
    FormField("many", "weekdays", "field.weekdays", options=tuple((d, f"option.{d}") for d in WEEKDAYS)),
    FormField("number", "within_hours", "field.within_hours", minimum=1, maximum=send_time.MAX_WITHIN_HOURS),
    FormField("note", label="note.best_time", small=True),
    FormField("best_time"),
)

TEXTS = {
    "en": {
        "field.mode": "Wait until",
        "option.time_of_day": "Time of day",
        "option.date": "Date",
        "option.best_time": "The contact's best time",
        "field.within_hours": "Best time within the next (hours, 1 to 168)",
        "note.best_time": "With the contact's best time, the time above is the fallback for contacts with no history.",
        "phrase.wait_until_best_time": "Wait until the contact's best time within {hours} h (else {time})",
        "fix.within_hours": "Enter a number of hours between 1 and 168",
        "field.time": "Time (HH:MM, contact's time zone)",
        "field.date": "Date",
        "field.weekdays": "Only on these days (empty: any day)",
        "option.mon": "Monday",
        "option.tue": "Tuesday",
        "option.wed": "Wednesday",
        "option.thu": "Thursday",
        "option.fri": "Friday",
        "option.sat": "Saturday",
        "option.sun": "Sunday",
        "phrase.wait_until_date": "Wait until {date} {time}",
        "phrase.wait_until_time": "Wait until {time} local time",
        "phrase.wait_until_days": "Wait until {time} on {days}, local time",
        "phrase.weekday.mon": "Monday",
        "phrase.weekday.tue": "Tuesday",
        "phrase.weekday.wed": "Wednesday",
        "phrase.weekday.thu": "Thursday",
        "phrase.weekday.fri": "Friday",
        "phrase.weekday.sat": "Saturday",
        "phrase.weekday.sun": "Sunday",
        "fix.time": "Enter a time as HH:MM, such as 09:00",
        "fix.date": "Choose the date to wait until",
    },
    "fr": {
        "label": "Attendre jusqu'à",
        "description": "Attendre une heure ou une date dans le fuseau horaire du contact.",
        "field.mode": "Attendre jusqu'à",
        "option.time_of_day": "Heure de la journée",
        "option.date": "Date",
        "option.best_time": "Le meilleur moment du contact",
        "field.within_hours": "Meilleur moment dans les prochaines (heures, de 1 à 168)",
        "note.best_time": (
            "Avec le meilleur moment du contact, l'heure ci-dessus sert de repli pour les contacts sans historique."
        ),
        "phrase.wait_until_best_time": "Attendre le meilleur moment du contact dans les {hours} h (sinon {time})",
        "fix.within_hours": "Saisissez un nombre d'heures entre 1 et 168",
        "field.time": "Heure (HH:MM, fuseau du contact)",
        "field.date": "Date",
        "field.weekdays": "Seulement ces jours-là (vide : n'importe quel jour)",
        "option.mon": "Lundi",
        "option.tue": "Mardi",
        "option.wed": "Mercredi",
        "option.thu": "Jeudi",
        "option.fri": "Vendredi",
        "option.sat": "Samedi",
        "option.sun": "Dimanche",
        "phrase.wait_until_date": "Attendre jusqu'au {date} {time}",
        "phrase.wait_until_time": "Attendre jusqu'à {time}, heure locale",
        "phrase.wait_until_days": "Attendre jusqu'à {time} le {days}, heure locale",
        "phrase.weekday.mon": "lundi",
        "phrase.weekday.tue": "mardi",
        "phrase.weekday.wed": "mercredi",
        "phrase.weekday.thu": "jeudi",
        "phrase.weekday.fri": "vendredi",
        "phrase.weekday.sat": "samedi",
        "phrase.weekday.sun": "dimanche",
        "fix.time": "Saisissez une heure au format HH:MM, par exemple 09:00",
        "fix.date": "Choisissez la date jusqu'à laquelle attendre",
    },
}


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
    form=FORM,
    texts=TEXTS,
)
