"""Goal: records that the contact reached a milestone, then continues."""

from typing import Any

from pydantic import Field

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State


class Config(StrictConfig):
    goal: str = Field(min_length=1, max_length=200, description="Name of the milestone, e.g. converted")


def step(config: Any, _state: State, _env: Env) -> Decision:
    return Decision.go("next", outcome="goal", reason=config.goal[:60])


FORM = (FormField("text", "goal", "field.goal"),)

TEXTS = {
    "en": {
        "field.goal": "Milestone name",
        "phrase.goal": "Goal: {goal}",
        "fix.goal": "Name the milestone contacts reach here",
    },
    "fr": {
        "label": "Objectif",
        "description": "Compter comme convertis les contacts qui atteignent ce point.",
        "field.goal": "Nom de l'étape clé",
        "phrase.goal": "Objectif : {goal}",
        "fix.goal": "Nommez l'étape clé atteinte ici",
    },
}


SPEC = NodeSpec(
    type="goal",
    rank=3,
    label="Goal",
    category="action",
    icon="flag",
    description="Count contacts who reach this point as converted.",
    config_model=Config,
    summary=lambda c: f"Goal: {c.goal}",
    phrase=lambda c: Phrase("goal", {"goal": c.goal}),
    example={"goal": "converted"},
    step=step,
    form=FORM,
    texts=TEXTS,
)
