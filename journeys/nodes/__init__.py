"""The registry of node types. Adding a node type means adding one module here and its tests."""

from __future__ import annotations

from journeys.nodes import (
    branch,
    branch_multi,
    entry_api,
    entry_date,
    entry_event,
    entry_schedule,
    entry_segment,
    exit,
    goal,
    message_email,
    message_in_app,
    message_push,
    message_sms,
    split,
    update_attribute,
    wait_duration,
    wait_event,
    wait_reply,
    wait_until,
    webhook,
)
from journeys.nodes.base import NodeSpec, Port, Problem

_MODULES = (
    entry_event,
    entry_segment,
    entry_schedule,
    entry_date,
    entry_api,
    wait_duration,
    wait_until,
    wait_event,
    wait_reply,
    branch,
    branch_multi,
    split,
    message_push,
    message_sms,
    message_email,
    message_in_app,
    webhook,
    update_attribute,
    goal,
    exit,
)

REGISTRY: dict[str, NodeSpec] = {module.SPEC.type: module.SPEC for module in _MODULES}


def spec_for(node_type: str) -> NodeSpec | None:
    return REGISTRY.get(node_type)


__all__ = ["REGISTRY", "NodeSpec", "Port", "Problem", "spec_for"]
