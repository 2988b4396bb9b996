"""A published journey version compiled for the engine: parsed configs and a port -> target table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys import branching, document
from journeys.conditions import matches_filters
from journeys.document import Goal, JourneySettings
from journeys.nodes import REGISTRY
from journeys.nodes.base import Step
from journeys.steps.message import shows_predictions, shows_recommendations, uses_best_time


@dataclass
class Plan:
    journey_id: int
    version_id: int
    entry_id: str
    entry_type: str
    entry_config: Any
    settings: JourneySettings
    goal: Goal | None
    types: dict[str, str] = field(default_factory=dict)
    configs: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)  # each node's step function, from its node type
    edges: dict[tuple[str, str], str] = field(default_factory=dict)
    # True when a branch needs the contact's event history or saved segments.
    needs_history: bool = False
    # True when a message shows the contact's recommended products.
    needs_recommendations: bool = False
    # True when a branch or a message reads predicted scores (``predicted.<goal>``).
    needs_predictions: bool = False
    # True when a step waits for the contact's best time (so the engine loads engagement profiles).
    needs_send_profiles: bool = False

    def target(self, node_id: str, port: str) -> str | None:
        return self.edges.get((node_id, port))

    def entry_matches(self, name: str, properties: dict[str, Any]) -> bool:
        """Whether an event enrolls a contact: its own event, or ``segment.entered`` for a segment entry."""
        if self.entry_type == "entry.event":
            return name == self.entry_config.event and matches_filters(properties, self.entry_config.filters)
        if self.entry_type == "entry.segment":
            return name == "segment.entered" and properties.get("segment") == self.entry_config.segment
        return False

    def wakes(self, node_id: str, name: str, properties: dict[str, Any]) -> bool:
        kind = self.types.get(node_id)
        config = self.configs.get(node_id)
        if kind == "wait.reply":
            return name == "message.received" and config.channel in {"any", properties.get("channel")}
        if kind != "wait.event":
            return False
        return name == config.event and matches_filters(properties, config.filters)

    def may_enter(self, runs: int, running: int) -> bool:
        """Whether the re-entry rule lets a contact in, after ``runs`` entries of which ``running`` are active."""
        rule = self.settings.reentry
        if rule.mode == "never":
            return runs == 0
        if running:
            return False
        return rule.mode == "after_exit" or runs < (rule.max_entries or 1)

    def exit_reason(self, name: str, properties: dict[str, Any]) -> str | None:
        """``goal`` or ``exit_event`` when this event removes a contact from the journey, else None."""
        goal = self.goal
        if goal and goal.exit_on_goal and name == goal.event and matches_filters(properties, goal.filters):
            return "goal"
        if name in self.settings.exit_events:
            return "exit_event"
        return None


def compile_plan(journey_id: int, version_id: int, data: dict[str, Any]) -> Plan:
    doc = document.parse(data)
    types = {n.id: n.type for n in doc.nodes}
    configs = {n.id: REGISTRY[n.type].config_model.model_validate(n.config) for n in doc.nodes}
    entry = next(n for n in doc.nodes if REGISTRY[n.type].is_entry)
    trees = [configs[n.id].condition for n in doc.nodes if n.type == "branch"]
    trees += [case.condition for n in doc.nodes if n.type == "branch.multi" for case in configs[n.id].cases]
    return Plan(
        needs_history=any(branching.needs_history(tree) for tree in trees),
        needs_recommendations=any(shows_recommendations(c) for c in configs.values()),
        needs_predictions=any(branching.needs_predictions(tree) for tree in trees)
        or any(shows_predictions(c) for c in configs.values()),
        needs_send_profiles=any(uses_best_time(c) for c in configs.values()),
        journey_id=journey_id,
        version_id=version_id,
        entry_id=entry.id,
        entry_type=entry.type,
        entry_config=configs[entry.id],
        settings=doc.settings,
        goal=doc.goal,
        types=types,
        configs=configs,
        steps={n.id: REGISTRY[n.type].step for n in doc.nodes},
        edges={(e.source, e.port): e.target for e in doc.edges},
    )
