"""Entry relative to a date attribute: 24 h before departure_date, or every year on the birthday."""

from typing import Literal

from pydantic import Field

from journeys.durations import Duration
from journeys.fields import TimeOfDay
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField


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


FORM = (
    FormField("pick", "attribute", "field.attribute", source="attributes"),
    FormField(
        "choose",
        "direction",
        "field.direction",
        options=tuple((d, f"option.{d}") for d in ("before", "on", "after")),
        default="on",
    ),
    FormField("duration", "offset", "field.offset", unit="days"),
    FormField("text", "time_of_day", "field.time_of_day", optional=True, hint="09:00"),
    FormField(
        "choose",
        "repeat",
        "field.repeat",
        options=(("once", "option.once"), ("yearly", "option.yearly")),
        default="once",
    ),
)

TEXTS = {
    "en": {
        "field.attribute": "Date on the contact's profile",
        "field.direction": "When",
        "option.before": "Before the date",
        "option.on": "On the date",
        "option.after": "After the date",
        "field.offset": "How long before or after",
        "field.time_of_day": "Time of day",
        "field.repeat": "Repeat",
        "option.once": "Once",
        "option.yearly": "Every year",
        "phrase.date_on": "On {attribute}",
        "phrase.date_on_yearly": "On {attribute}, every year",
        "phrase.date_before": "{offset} before {attribute}",
        "phrase.date_before_yearly": "{offset} before {attribute}, every year",
        "phrase.date_after": "{offset} after {attribute}",
        "phrase.date_after_yearly": "{offset} after {attribute}, every year",
        "fix.attribute": "Choose the date on the contact's profile",
        "fix.offset": "Enter how long before or after the date",
        "fix.time_of_day": "Enter a time of day as HH:MM, such as 09:00",
    },
    "fr": {
        "label": "Déclencheur date",
        "description": "Les contacts entrent autour d'une date enregistrée sur leur profil.",
        "field.attribute": "Date du profil du contact",
        "field.direction": "Quand",
        "option.before": "Avant la date",
        "option.on": "Le jour même",
        "option.after": "Après la date",
        "field.offset": "Combien de temps avant ou après",
        "field.time_of_day": "Heure de la journée",
        "field.repeat": "Répétition",
        "option.once": "Une fois",
        "option.yearly": "Chaque année",
        "phrase.date_on": "Le jour de {attribute}",
        "phrase.date_on_yearly": "Le jour de {attribute}, chaque année",
        "phrase.date_before": "{offset} avant {attribute}",
        "phrase.date_before_yearly": "{offset} avant {attribute}, chaque année",
        "phrase.date_after": "{offset} après {attribute}",
        "phrase.date_after_yearly": "{offset} après {attribute}, chaque année",
        "fix.attribute": "Choisissez la date du profil du contact",
        "fix.offset": "Indiquez combien de temps avant ou après la date",
        "fix.time_of_day": "Saisissez une heure au format HH:MM, par exemple 09:00",
    },
}


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
    form=FORM,
    texts=TEXTS,
)
