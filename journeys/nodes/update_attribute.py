"""Set, increment or remove contact attributes."""

from typing import Any, Literal

from pydantic import Field, model_validator

from journeys.liquid import TemplateError
from journeys.liquid_fast import render_fast
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.message import liquid_context
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


def _value(value: Any, state: State, env: Env) -> Any:
    """A text value may be Liquid, e.g. ``{{ reply.text }}`` to keep a contact's answer on the profile."""
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        return render_fast(value, liquid_context(state, env))
    return value


def step(config: Any, state: State, env: Env) -> Decision:
    """Set, increment or remove profile attributes (applied to the contact in memory)."""
    attributes = dict(env.contact.attributes)
    for update in config.updates:
        if update.op == "set":
            try:
                attributes[update.attribute] = _value(update.value, state, env)
            except TemplateError as exc:
                return Decision.go(
                    "next", outcome="failed", reason="template_error", context_updates={"error": str(exc)}
                )
        elif update.op == "unset":
            attributes.pop(update.attribute, None)
        else:
            current = attributes.get(update.attribute)
            base = current if isinstance(current, int | float) and not isinstance(current, bool) else 0
            attributes[update.attribute] = base + update.value
    env.contact.attributes = attributes
    env.contact.attributes_changed = True
    return Decision.go("next", outcome="updated")


FORM = (FormField("updates", "updates"),)

TEXTS = {
    "en": {
        "phrase.update_set": "Set {attribute} = {value}",
        "phrase.update_increment": "Add {value} to {attribute}",
        "phrase.update_unset": "Remove {attribute}",
        "phrase.update_set_more.one": "Set {attribute} = {value} (+{count} more)",
        "phrase.update_set_more.other": "Set {attribute} = {value} (+{count} more)",
        "phrase.update_increment_more.one": "Add {value} to {attribute} (+{count} more)",
        "phrase.update_increment_more.other": "Add {value} to {attribute} (+{count} more)",
        "phrase.update_unset_more.one": "Remove {attribute} (+{count} more)",
        "phrase.update_unset_more.other": "Remove {attribute} (+{count} more)",
        "fix.updates": "Choose the attribute to change and its new value",
    },
    "fr": {
        "label": "Mettre à jour un attribut",
        "description": "Modifier le profil du contact.",
        "phrase.update_set": "Mettre {attribute} à {value}",
        "phrase.update_increment": "Ajouter {value} à {attribute}",
        "phrase.update_unset": "Effacer {attribute}",
        "phrase.update_set_more.one": "Mettre {attribute} à {value} (+{count} autre)",
        "phrase.update_set_more.other": "Mettre {attribute} à {value} (+{count} autres)",
        "phrase.update_increment_more.one": "Ajouter {value} à {attribute} (+{count} autre)",
        "phrase.update_increment_more.other": "Ajouter {value} à {attribute} (+{count} autres)",
        "phrase.update_unset_more.one": "Effacer {attribute} (+{count} autre)",
        "phrase.update_unset_more.other": "Effacer {attribute} (+{count} autres)",
        "fix.updates": "Choisissez l'attribut à modifier et sa nouvelle valeur",
    },
}


SPEC = NodeSpec(
    type="update_attribute",
    rank=2,
    label="Update attribute",
    category="action",
    icon="edit_note",
    description="Change the contact's profile.",
    config_model=Config,
    summary=summary,
    templates=templates,
    phrase=phrase,
    step=step,
    example={"updates": [{"attribute": "onboarded", "op": "set", "value": True}]},
    form=FORM,
    texts=TEXTS,
)
