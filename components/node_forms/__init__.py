"""Side-panel forms for each node type: plain-language labels and pickers, never raw JSON.

``render_form(node_type, config, ctx)`` edits ``config`` (a dict) in place and calls ``ctx.changed()``
after each edit; the page saves the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from components.node_forms import reply, steps
from components.node_forms.context import Choices, FormContext
from components.node_forms.messages import message_form

Form = Callable[[dict[str, Any], FormContext], None]

FORMS: dict[str, Form] = {
    "entry.event": steps.entry_event,
    "entry.segment": steps.entry_segment,
    "entry.schedule": steps.entry_schedule,
    "entry.date": steps.entry_date,
    "entry.api": steps.nothing,
    "wait.duration": steps.wait_duration,
    "wait.until": steps.wait_until,
    "wait.event": steps.wait_event,
    "wait.reply": reply.wait_reply,
    "branch": steps.branch,
    "branch.multi": steps.branch_multi,
    "split": steps.split,
    "message.push": partial(message_form, "message.push"),
    "message.sms": partial(message_form, "message.sms"),
    "message.email": partial(message_form, "message.email"),
    "message.in_app": partial(message_form, "message.in_app"),
    "webhook": steps.webhook,
    "update_attribute": steps.update_attribute,
    "goal": steps.goal,
    "exit": steps.nothing,
}


def render_form(node_type: str, config: dict[str, Any], ctx: FormContext) -> None:
    FORMS.get(node_type, steps.nothing)(config, ctx)


__all__ = ["FORMS", "Choices", "FormContext", "render_form"]
