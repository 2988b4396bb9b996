"""The bounded step loop: move one enrollment through nodes until it must wait, ends or hits the bound."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from journeys.plan import Plan
from journeys.steps.types import Env, Message, State

MAX_STEPS_PER_PASS = 200
QUIET_OUTCOMES = {"passed", "waiting"}

CounterKey = tuple[int, int, str, str, str, str]


@dataclass
class Result:
    """What a batch produced: messages to queue, step-log rows, extra counter increments and the step count."""

    messages: list[tuple[State, Message]] = field(default_factory=list)
    # Counter increments with no step-log row (entries refused while paused); see ``all_counts``.
    counts: Counter[CounterKey] = field(default_factory=Counter)
    steps: int = 0
    # Row-level step log: (journey, version, contact, entry_no, node, variant, outcome, reason).
    log: list[tuple[int, int, int, int, str, str, str, str]] = field(default_factory=list)

    def count(self, state: State, node_id: str, outcome: str, reason: str = "") -> None:
        variant = state.context.get("variant")
        self.log.append(
            (
                state.journey_id,
                state.version_id,
                state.contact_id,
                state.entry_no,
                node_id,
                "" if variant is None else str(variant),
                outcome,
                reason,
            )
        )

    def all_counts(self) -> Counter[CounterKey]:
        """Step counters: one per logged step plus ``counts``, summed in one pass over the batch's log."""
        total = Counter(
            (j, v, node, variant, outcome, reason[:60]) for j, v, _c, _n, node, variant, outcome, reason in self.log
        )
        total.update(self.counts)
        return total


def advance(state: State, plan: Plan, env: Env, result: Result) -> None:
    """Run steps until the enrollment waits or ends. Mutates ``state`` and appends to ``result``."""
    steps, configs = plan.steps, plan.configs
    for _ in range(MAX_STEPS_PER_PASS):
        node_id = state.node_id
        if state.phase == 0:
            result.count(state, node_id, "entered")
        result.steps += 1
        decision = steps[node_id](configs[node_id], state, env)
        state.context.update(decision.context_updates)
        if decision.outcome not in QUIET_OUTCOMES:
            result.count(state, node_id, decision.outcome, decision.reason)
        if decision.message is not None:
            result.messages.append((state, decision.message))
            env.recent_sends.setdefault(decision.message.channel, []).append((env.now, state.journey_id))
        if decision.wait_until is not None:
            state.phase, state.due_at = 1, decision.wait_until
            state.wait_event, state.resume_port = decision.wait_event, None
            return
        if decision.end is not None:
            state.status, state.phase, state.wait_event, state.resume_port = decision.end, 0, None, None
            return
        target = plan.target(node_id, decision.port or "next")
        if target is None:
            result.count(state, node_id, "failed", "no_path")
            state.status = "failed"
            return
        state.node_id, state.phase, state.wait_event, state.resume_port = target, 0, None, None
    state.due_at = env.now  # bound reached: continue in the next batch


def exit_now(state: State, reason: str, result: Result) -> None:
    """An exit or goal event removes the contact wherever it is."""
    result.count(state, state.node_id, "exited", reason)
    state.status, state.wait_event, state.resume_port = "exited", None, None
