"""Wait for an event, with a timeout: ports ``event`` and ``timeout``."""

from typing import Any

from pydantic import Field

from journeys.conditions import PropertyFilter
from journeys.durations import Duration
from journeys.nodes.base import NodeSpec, Phrase, Port, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State


class Config(StrictConfig):
    event: str = Field(min_length=1, description="Event to wait for")
    filters: list[PropertyFilter] = Field(default_factory=list)
    timeout: Duration = Field(default_factory=lambda: Duration(amount=1, unit="days"))


def ports(_config: Config) -> list[Port]:
    return [Port("event", "Event happened"), Port("timeout", "Timed out")]


def step(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("event" if state.resume_port == "event" else "timeout")
    return Decision.wait(env.now + int(config.timeout.to_timedelta().total_seconds()), event=config.event)


FORM = (
    FormField("pick", "event", "field.event", source="events"),
    FormField("duration", "timeout", "field.timeout", unit="days"),
    FormField("filters", "filters"),
)

TEXTS = {
    "en": {
        "field.event": "Event to wait for",
        "field.timeout": "Give up after",
        "phrase.wait_event": "Wait for {event}, up to {timeout}",
        "fix.event": "Choose the event to wait for",
        "fix.timeout": "Enter how long to wait before giving up",
        "fix.filters": "Complete or remove the property filters",
        "port.event": "Event happened",
        "port.timeout": "Timed out",
    },
    "fr": {
        "label": "Attendre un événement",
        "description": "Attendre une action du contact, ou abandonner après un délai.",
        "field.event": "Événement attendu",
        "field.timeout": "Abandonner après",
        "phrase.wait_event": "Attendre {event}, au plus {timeout}",
        "fix.event": "Choisissez l'événement à attendre",
        "fix.timeout": "Indiquez combien de temps attendre avant d'abandonner",
        "fix.filters": "Complétez ou supprimez les filtres de propriété",
        "port.event": "Événement reçu",
        "port.timeout": "Délai dépassé",
    },
}


SPEC = NodeSpec(
    type="wait.event",
    rank=3,
    label="Wait for event",
    category="wait",
    icon="pending_actions",
    description="Pause until the contact does something, or give up after a timeout.",
    config_model=Config,
    ports=ports,
    summary=lambda c: f"Wait for {c.event}, up to {c.timeout.describe()}",
    phrase=lambda c: Phrase("wait_event", {"event": c.event, "timeout": c.timeout}),
    step=step,
    example={"event": "Order Completed", "timeout": {"amount": 1, "unit": "days"}},
    form=FORM,
    texts=TEXTS,
)
