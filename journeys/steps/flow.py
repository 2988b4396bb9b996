"""Steps that only choose a path: entries, yes/no and multi-way branches, goal, exit."""

from __future__ import annotations

from typing import Any

from journeys.branching import evaluate
from journeys.steps.types import Decision, Env, State


def entry(_config: Any, _state: State, _env: Env) -> Decision:
    return Decision.go("next")


def branch(config: Any, state: State, env: Env) -> Decision:
    event = state.context.get("event", {})
    matched = evaluate(config.condition, env.contact, event, env.now, segments=env.segments, events=env.events)
    return Decision.go("yes" if matched else "no")


def branch_multi(config: Any, state: State, env: Env) -> Decision:
    event = state.context.get("event", {})
    for case in config.cases:
        if evaluate(case.condition, env.contact, event, env.now, segments=env.segments, events=env.events):
            return Decision.go(case.port)
    return Decision.go("else")


def goal(config: Any, _state: State, _env: Env) -> Decision:
    return Decision.go("next", outcome="goal", reason=config.goal[:60])


def exit_(_config: Any, _state: State, _env: Env) -> Decision:
    return Decision(end="done", outcome="exited", reason="completed")
