"""Exit: the contact leaves the journey."""

from typing import Any

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.steps.types import Decision, Env, State


class Config(StrictConfig):
    pass


def step(_config: Any, _state: State, _env: Env) -> Decision:
    return Decision(end="done", outcome="exited", reason="completed")


TEXTS = {
    "en": {
        "phrase.exit": "Leave the journey",
    },
    "fr": {
        "label": "Sortie",
        "description": "Le contact quitte le parcours ici.",
        "phrase.exit": "Quitter le parcours",
    },
}


SPEC = NodeSpec(
    type="exit",
    rank=1,
    label="Exit",
    category="end",
    icon="logout",
    description="The contact leaves the journey here.",
    config_model=Config,
    summary=lambda _c: "Leave the journey",
    phrase=lambda _c: Phrase("exit"),
    ports=lambda _c: [],
    step=step,
    texts=TEXTS,
)
