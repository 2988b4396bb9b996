"""Step semantics, one small module per kind of node. ``STEPS`` maps a node type to its step function.

A step function takes the node's parsed config, the enrollment state and its environment, and returns a
:class:`~journeys.steps.types.Decision`. Steps are pure and deterministic: same inputs, same decision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeys.steps import attributes, flow, message, split, waits
from journeys.steps.types import Decision, Env, State

StepFunction = Callable[[Any, State, Env], Decision]

STEPS: dict[str, StepFunction] = {
    "entry.event": flow.entry,
    "entry.segment": flow.entry,
    "entry.schedule": flow.entry,
    "entry.date": flow.entry,
    "entry.api": flow.entry,
    "wait.duration": waits.wait_duration,
    "wait.until": waits.wait_until,
    "wait.event": waits.wait_event,
    "wait.reply": waits.wait_reply,
    "branch": flow.branch,
    "branch.multi": flow.branch_multi,
    "split": split.split,
    "message.push": message.push,
    "message.sms": message.sms,
    "message.email": message.email,
    "message.in_app": message.in_app,
    "webhook": message.webhook,
    "update_attribute": attributes.update_attribute,
    "goal": flow.goal,
    "exit": flow.exit_,
}
