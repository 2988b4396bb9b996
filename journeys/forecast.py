"""A forecast of a journey before it goes live: the real steps played over contact snapshots, nothing written.

Each sampled contact's last ``weeks`` weeks of events are replayed as ``weeks`` possible next weeks (week k of
the history shifted forward onto the forecast week), each counting ``1 / weeks``: the coming week is expected to
look like the average of the recent ones, hour of day and day of week included, which is what quiet hours care
about. On each replay the compiled plan runs as the engine runs it: entries by ``Plan.entry_matches`` and the
re-entry rule, holdouts, ``runner.advance`` with the node types' own step functions (consent, address, quiet
hours and frequency caps decided by ``journeys/delivery.py``), waits woken by the replayed events, exits on the
goal or exit events. What the steps queue, skip or defer is tallied by day instead of being written.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from journeys.conditions import matches_filters
from journeys.document import Goal
from journeys.plan import Plan
from journeys.policy import DeliveryPolicy
from journeys.revenue import held_out
from journeys.runner import Result, advance, exit_now
from journeys.steps.types import ContactView, Env, State

DAY = 86_400
WEEK = 7 * DAY
# The name a snapshot gives an entry that is not an event (an API call, a schedule or date occurrence).
ENTRY = ""
Sends = dict[str, list[tuple[int, int]]]
Item = tuple[int, str, dict[str, Any]]  # (epoch seconds, event name or ENTRY, properties)


@dataclass
class Snapshot:
    """One contact as the forecast sees it: who they are, what they did lately and what they were sent."""

    contact: ContactView
    history: list[Item] = field(default_factory=list)  # past events (and API entries), replayed week by week
    upcoming: list[Item] = field(default_factory=list)  # entries known in advance (schedule, date): every replay
    sends: Sends = field(default_factory=dict)  # recent sends, for frequency caps
    runs: int = 0  # entries into this journey so far
    running: int = 0  # of which still active
    messaged: list[int] = field(default_factory=list)  # when any journey sent them a message, over the history
    # What some steps read, loaded only when the plan has such a step (as the engine does): all past events
    # for branches on behaviour, recommended products, the hour-of-week profile for best-time sends.
    events: list[Any] = field(default_factory=list)
    recommendations: list[dict[str, Any]] | None = None
    send_profile: Any = None


@dataclass(frozen=True)
class Shared:
    """What every contact's steps share: saved segments (branches) and the workspace's send-time profile."""

    segments: dict[str, Any] = field(default_factory=dict)
    workspace_profile: Any = None


@dataclass(frozen=True)
class Horizon:
    start: int  # epoch seconds the forecast starts at (now)
    days: int = 7
    weeks: int = 4  # weeks of history replayed
    scale: float = 1.0  # contacts represented by each sampled one (population / sample)

    @property
    def end(self) -> int:
        return self.start + self.days * DAY


@dataclass
class Forecast:
    days: int
    entries: list[float]
    messages: dict[str, list[float]]  # channel -> per day
    skips: Counter[tuple[str, str]] = field(default_factory=Counter)  # (channel, reason) -> count
    deferred: Counter[tuple[str, str]] = field(default_factory=Counter)  # (channel, reason) -> count
    reached: float = 0.0  # entries that got at least one message

    def total(self, channel: str) -> float:
        return sum(self.messages.get(channel, []))

    def add(self, other: Forecast) -> None:
        """Sum ``other`` (same days) into this one."""
        self.entries = [a + b for a, b in zip(self.entries, other.entries, strict=True)]
        for channel, days in other.messages.items():
            mine = self.messages.setdefault(channel, [0.0] * self.days)
            self.messages[channel] = [a + b for a, b in zip(mine, days, strict=True)]
        self.skips.update(other.skips)
        self.deferred.update(other.deferred)
        self.reached += other.reached


def empty(days: int, channels: list[str]) -> Forecast:
    return Forecast(days, [0.0] * days, {c: [0.0] * days for c in channels})


def channels_of(plan: Plan) -> list[str]:
    """The message channels a plan sends on, in node order."""
    found = [t.removeprefix("message.") for t in plan.types.values() if t.startswith("message.")]
    return list(dict.fromkeys(found))


def forecast(
    plan: Plan, snapshots: list[Snapshot], policy: DeliveryPolicy, horizon: Horizon, shared: Shared | None = None
) -> Forecast:
    """Expected entries, messages, skips and deferrals per day over ``horizon`` for the sampled ``snapshots``,
    scaled up to the population they stand for."""
    out = empty(horizon.days, channels_of(plan))
    weight = horizon.scale / horizon.weeks
    for snap in snapshots:
        for week in range(horizon.weeks):
            items = _timeline(snap, (horizon.weeks - week) * WEEK, horizon)
            if items:  # a week without an entry or an event changes nothing
                replay = _Replay(plan, policy, snap, horizon, weight, out)
                replay.shared = shared or Shared()
                replay.play(items)
    return out


def _timeline(snap: Snapshot, shift: int, horizon: Horizon) -> list[Item]:
    shifted = [(at + shift, name, props) for at, name, props in snap.history]
    items = [i for i in shifted if horizon.start <= i[0] < horizon.end] + list(snap.upcoming)
    items.sort(key=lambda i: (i[0], i[1] != ENTRY))
    return items


class _Replay:
    """One possible week of one contact: enrollments advanced by the real runner, outcomes tallied."""

    def __init__(
        self, plan: Plan, policy: DeliveryPolicy, snap: Snapshot, horizon: Horizon, weight: float, out: Forecast
    ) -> None:
        self.plan, self.policy, self.horizon, self.weight, self.out = plan, policy, horizon, weight, out
        self.contact = snap.contact
        if "update_attribute" in plan.types.values():  # the only step that changes the contact: a copy per week
            self.contact = dataclasses.replace(snap.contact, attributes=dict(snap.contact.attributes))
        self.sends: Sends = {channel: list(sent) for channel, sent in snap.sends.items()}
        self.runs, self.running = snap.runs, snap.running
        self.snap, self.shared = snap, Shared()
        self.states: list[State] = []
        self.messaged: set[int] = set()  # entry numbers that got a message

    def play(self, items: list[Item]) -> None:
        for at, name, props in items:
            self.run_due(at)
            self.states = [s for s in self.states if s.status == "active"]  # ended runs need nothing more
            if name != ENTRY:
                self.apply_event(at, name, props)
            if name == ENTRY or self.plan.entry_matches(name, props):
                self.enter(at, props)
        self.run_due(self.horizon.end - 1)

    def run_due(self, until: int) -> None:
        """Advance every enrollment due by ``until``, earliest first (as the engine's passes would)."""
        while True:
            due = [s for s in self.states if s.status == "active" and s.due_at <= until]
            if not due:
                return
            state = min(due, key=lambda s: s.due_at)
            self.step(state, state.due_at)

    def apply_event(self, at: int, name: str, props: dict[str, Any]) -> None:
        for state in self.states:
            if state.status != "active":
                continue
            reason = self.plan.exit_reason(name, props)
            if reason:
                exit_now(state, reason, Result())
                self.running -= 1
            elif state.phase == 1 and state.resume_port is None and self.plan.wakes(state.node_id, name, props):
                state.resume_port, state.due_at = "event", at
                key = "reply_event" if self.plan.types[state.node_id] == "wait.reply" else "event"
                state.context[key] = props

    def enter(self, at: int, props: dict[str, Any]) -> None:
        plan = self.plan
        if not plan.may_enter(self.runs, self.running):
            return
        self.runs, self.running = self.runs + 1, self.running + 1
        context: dict[str, Any] = {"event": props}
        held = held_out(
            self.contact.id, plan.journey_id, plan.settings.holdout_percent, self.policy.revenue.control_group_percent
        )
        if held:
            context["control"] = held
        state = State(None, plan.journey_id, plan.version_id, self.contact.id, self.runs, plan.entry_id, due_at=at)
        state.context, state.entered_at = context, at
        self.out.entries[self._day(at)] += self.weight
        self.states.append(state)
        self.step(state, at)

    def step(self, state: State, now: int) -> None:
        result = Result()
        advance(state, self.plan, self.env(now), result)
        if state.status != "active":
            self.running -= 1
        day = self._day(now)
        for _state, message in result.messages:
            if message.channel in self.out.messages:
                self.out.messages[message.channel][day] += self.weight
                if state.entry_no not in self.messaged:
                    self.messaged.add(state.entry_no)
                    self.out.reached += self.weight
        for *_ids, node_id, _variant, outcome, reason in result.log:
            channel = self.plan.types.get(node_id, "").removeprefix("message.")
            if outcome in ("skipped", "failed") and reason:
                self.out.skips[(channel, reason)] += self.weight
            elif outcome == "deferred":
                self.out.deferred[(channel, reason)] += self.weight

    def env(self, now: int) -> Env:
        """The step's surroundings, filled as the engine fills them (``Engine._env``)."""
        plan, snap = self.plan, self.snap
        env = Env(now, self.contact, plan.settings, self.policy, self.sends)
        if plan.needs_history:
            env.segments, env.events = self.shared.segments, snap.events
        if plan.needs_recommendations:
            env.recommendations = snap.recommendations or []
        if plan.needs_send_profiles:
            env.send_profile, env.workspace_profile = snap.send_profile, self.shared.workspace_profile
        return env

    def _day(self, at: int) -> int:
        return min(max((at - self.horizon.start) // DAY, 0), self.horizon.days - 1)


@dataclass(frozen=True)
class Conversion:
    """How conversions are estimated: ``after_message`` (the share of messaged contacts who did the goal event
    within the goal window after a message, over the history), ``base_rate`` (the share of contacts who did it
    in any such window), or ``none`` (no goal, or no history to learn a rate from)."""

    source: str
    rate: float = 0.0


def conversion(goal: Goal | None, snapshots: list[Snapshot], horizon: Horizon) -> Conversion:
    """The goal's rate after a message over the sampled history, else its base rate, else none."""
    if goal is None or not snapshots:
        return Conversion("none")
    window = int(goal.window.to_timedelta().total_seconds())
    reached = done = goals_seen = 0
    for snap in snapshots:
        goals = [at for at, name, props in snap.history if name == goal.event and matches_filters(props, goal.filters)]
        goals_seen += len(goals)
        # Only messages whose whole goal window is in the past, unless the window is longer than the history.
        sent = [at for at in snap.messaged if at + window <= horizon.start] or snap.messaged
        reached += len(sent)
        done += sum(1 for at in sent if any(at < g <= at + window for g in goals))
    if reached:
        return Conversion("after_message", done / reached)
    if goals_seen:
        per_second = goals_seen / (len(snapshots) * horizon.weeks * WEEK)
        return Conversion("base_rate", 1 - math.exp(-per_second * window))
    return Conversion("none")


def conversions(found: Forecast, conversion: Conversion) -> float | None:
    """Expected conversions: messaged entries at the after-message rate, or every entry at the base rate."""
    if conversion.source == "after_message":
        return found.reached * conversion.rate
    if conversion.source == "base_rate":
        return sum(found.entries) * conversion.rate
    return None
