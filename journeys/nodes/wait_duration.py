"""Wait a fixed duration."""

from typing import Any

from pydantic import Field

from journeys.durations import Duration
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State


class Config(StrictConfig):
    duration: Duration = Field(default_factory=lambda: Duration(amount=1, unit="hours"))


def step(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("next")
    return Decision.wait(env.now + int(config.duration.to_timedelta().total_seconds()))


FORM = (FormField("duration", "duration", "field.duration"),)

TEXTS = {
    "en": {
        "field.duration": "Wait for",
        "phrase.wait_duration": "Wait {duration}",
        "fix.duration": "Enter how long to wait",
    },
    "fr": {
        "label": "Attente",
        "description": "Faire une pause pendant une durée donnée.",
        "field.duration": "Attendre pendant",
        "phrase.wait_duration": "Attendre {duration}",
        "fix.duration": "Indiquez combien de temps attendre",
    },
}


SPEC = NodeSpec(
    type="wait.duration",
    rank=1,
    label="Wait",
    category="wait",
    icon="hourglass_empty",
    description="Pause for a set time.",
    config_model=Config,
    summary=lambda c: f"Wait {c.duration.describe()}",
    phrase=lambda c: Phrase("wait_duration", {"duration": c.duration}),
    step=step,
    example={"duration": {"amount": 1, "unit": "hours"}},
    form=FORM,
    texts=TEXTS,
)
