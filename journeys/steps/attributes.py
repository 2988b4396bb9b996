"""Update attribute: set, increment or remove profile attributes (applied to the contact in memory)."""

from __future__ import annotations

from typing import Any

from journeys.liquid import TemplateError
from journeys.liquid_fast import render_fast
from journeys.steps.message import liquid_context
from journeys.steps.types import Decision, Env, State


def _value(value: Any, state: State, env: Env) -> Any:
    """A text value may be Liquid, e.g. ``{{ reply.text }}`` to keep a contact's answer on the profile."""
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        return render_fast(value, liquid_context(state, env))
    return value


def update_attribute(config: Any, state: State, env: Env) -> Decision:
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
