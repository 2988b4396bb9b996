"""Set, increment or remove contact attributes."""

from typing import Any, Literal

from pydantic import Field, model_validator

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


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


def templates(config: Config) -> dict[str, str]:
    """Text values written in Liquid (``{{ reply.text }}``), checked like message templates."""
    return {
        f"updates.{i}.value": u.value
        for i, u in enumerate(config.updates)
        if u.op == "set" and isinstance(u.value, str) and ("{{" in u.value or "{%" in u.value)
    }


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


SPEC = NodeSpec(
    type="update_attribute",
    label="Update attribute",
    category="action",
    icon="edit_note",
    description="Change the contact's profile.",
    config_model=Config,
    summary=summary,
    templates=templates,
    phrase=phrase,
    example={"updates": [{"attribute": "onboarded", "op": "set", "value": True}]},
)
