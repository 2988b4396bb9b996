"""Yes/no branch on contact attributes, behaviour or the triggering event's properties."""

from typing import Any

from pydantic import Field

from journeys.branching import evaluate, missing_predictions
from journeys.conditions import Condition, Group, walk
from journeys.nodes.base import NodeSpec, Phrase, Port, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State


class Config(StrictConfig):
    condition: Condition = Field(default_factory=Group)


def ports(_config: Config) -> list[Port]:
    return [Port("yes", "Yes"), Port("no", "No")]


def summary(config: Config) -> str:
    leaves = [c for c in walk(config.condition) if not isinstance(c, Group)]
    return f"If {len(leaves)} condition{'s' if len(leaves) != 1 else ''} match"


def step(config: Any, state: State, env: Env) -> Decision:
    event = state.context.get("event", {})
    matched = evaluate(config.condition, env.contact, event, env.now, segments=env.segments, events=env.events)
    missing = missing_predictions(config.condition, env.contact)
    return Decision.go("yes" if matched else "no", outcome="fallback" if missing else "passed", reason=missing)


FORM = (FormField("note", label="note.help"), FormField("condition", "condition"))

TEXTS = {
    "en": {
        "note.help": "Contacts who match go down Yes, the others down No.",
        "phrase.branch.one": "If {count} condition matches",
        "phrase.branch.other": "If {count} conditions match",
        "fix.condition": "Complete or remove the conditions",
        "port.yes": "Yes",
        "port.no": "No",
    },
    "fr": {
        "label": "Condition Oui/Non",
        "description": "Orienter les contacts vers Oui ou Non selon une condition.",
        "note.help": "Les contacts qui correspondent vont vers Oui, les autres vers Non.",
        "phrase.branch.one": "Si {count} condition est remplie",
        "phrase.branch.other": "Si {count} conditions sont remplies",
        "fix.condition": "Complétez ou supprimez les conditions",
        "port.yes": "Oui",
        "port.no": "Non",
    },
}


SPEC = NodeSpec(
    type="branch",
    rank=1,
    label="Yes/No branch",
    category="flow",
    icon="call_split",
    description="Send contacts down Yes or No depending on a condition.",
    config_model=Config,
    ports=ports,
    summary=summary,
    phrase=lambda c: Phrase("branch", {"count": len([x for x in walk(c.condition) if not isinstance(x, Group)])}),
    step=step,
    example={"condition": {"kind": "attribute", "attribute": "country", "op": "eq", "value": "FR"}},
    form=FORM,
    texts=TEXTS,
)
