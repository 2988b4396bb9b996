"""Set, increment or remove contact attributes."""

from typing import Any, Literal

from pydantic import Field, model_validator

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.steps.types import Decision, Env, State


class Update(StrictConfig):
    attribute: str = Field(min_length=1, max_length=200)
    op: Literal["set", "increment", "unset"] = "set"
    value: Any = None

    @model_validator(mode="after")
    def _increment_number(self) -> "Update":
        if self.op == "increment" and (isinstance(self.value, bool) or not isinstance(self.value, int | float)):
            raise ValueError("increment needs a number")
        return self


class Config(StrictConfig):
    updates: list[Update] = Field(min_length=1)


def summary(config: Config) -> str:
    first = config.updates[0]
    text = {
        "set": f"Set {first.attribute} = {first.value}",
        "increment": f"Add {first.value} to {first.attribute}",
        "unset": f"Remove {first.attribute}",
    }[first.op]
    more = len(config.updates) - 1
    return text + (f" (+{more} more)" if more else "")


def phrase(config: Config) -> Phrase:
    first = config.updates[0]
    values = {"attribute": first.attribute, "value": str(first.value)}
    more = len(config.updates) - 1
    if more:
        return Phrase(f"update_{first.op}_more", values | {"count": more})
    return Phrase(f"update_{first.op}", values)


def step(config: Any, _state: State, env: Env) -> Decision:
    """Set, increment or remove profile attributes (applied to the contact in memory)."""
    attributes = dict(env.contact.attributes)
    for update in config.updates:
        if update.op == "set":
            attributes[update.attribute] = update.value
        elif update.op == "unset":
            attributes.pop(update.attribute, None)
        else:
            current = attributes.get(update.attribute)
            base = current if isinstance(current, int | float) and not isinstance(current, bool) else 0
            attributes[update.attribute] = base + update.value
    env.contact.attributes = attributes
    env.contact.attributes_changed = True
    return Decision.go("next", outcome="updated")


SPEC = NodeSpec(
    type="update_attribute",
    rank=2,
    label="Update attribute",
    category="action",
    icon="edit_note",
    description="Change the contact's profile.",
    config_model=Config,
    summary=summary,
    phrase=phrase,
    step=step,
    example={"updates": [{"attribute": "onboarded", "op": "set", "value": True}]},
)
