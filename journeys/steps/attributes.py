"""Update attribute: set, increment or remove profile attributes (applied to the contact in memory)."""

from __future__ import annotations

from typing import Any

from journeys.steps.types import Decision, Env, State


def update_attribute(config: Any, _state: State, env: Env) -> Decision:
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
