"""The journey engine: consumes events, enrolls contacts and advances due enrollments in batches.

Each batch is one transaction: enrollment states, outbox rows and step counters commit together, so a
crash at any point leaves either the whole batch or none of it. Steps themselves are pure (journeys/).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from app.audience.segment_service import refresh_contacts
from app.conversations import handover
from app.core.context import AppContext
from app.core.gc_pause import paused_gc
from app.delivery.workspace import load_policy
from app.engine import experiments, quarantine
from app.engine.intake import EventIntake
from app.engine.leases import Leases
from app.engine.planner import PlannerStatistics
from journeys import delivery, recommend, routing
from journeys.plan import Plan, compile_plan
from journeys.policy import DeliveryPolicy
from journeys.revenue import held_out
from journeys.runner import Result, advance, exit_now
from journeys.send_time import Profile
from journeys.steps.types import ContactView, Env, State
from storage import enrollments as store
from storage import funnel_log, partitions, predictions, products
from storage import quarantine as parked
from storage import send_time as send_times
from storage.conversions import record_conversions

log = logging.getLogger("parcours.engine")

MESSAGE_TYPES = ("message.push", "message.sms", "message.email", "message.in_app")


@dataclass
class Candidate:
    """A contact about to enter a journey, with the properties of what brought them in."""

    plan: Plan
    contact_id: int
    event: dict[str, Any] = field(default_factory=dict)
    # The contact's events of the same batch and the position of the triggering one: those after it reach
    # the new enrollment too (an exit event right after the entry event still removes the contact).
    batch_events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    position: int = 0

    def later_events(self) -> list[tuple[str, dict[str, Any]]]:
        return self.batch_events[self.position + 1 :]


class Engine(EventIntake):
    def __init__(self, ctx: AppContext, *, batch_size: int = 5_000, worker: str | None = None) -> None:
        self.ctx = ctx
        self.batch_size = batch_size
        self.leases = Leases(ctx, worker)  # the contact partitions this worker takes events and runs from
        self.statistics = PlannerStatistics(ctx)
        self._plans: dict[int, Plan] = {}
        self.policy: DeliveryPolicy = DeliveryPolicy()
        self._segments: dict[str, Any] = {}
        self._events: dict[int, list[Any]] = {}
        self._recommendations: dict[int, list[dict[str, Any]]] = {}
        self._predictions: dict[int, dict[str, dict[str, Any]]] = {}
        self._send_profiles: dict[int, Profile] = {}
        self._workspace_profile: Profile | None = None
        self._routes: dict[tuple[int, str], routing.Route] = {}  # (journey, split node) -> winner or shares
        self._routed: dict[int, Plan] = {}  # version id -> plan with the current routes applied

    @property
    def routes(self) -> dict[tuple[int, str], routing.Route]:
        return self._routes

    @routes.setter
    def routes(self, value: dict[tuple[int, str], routing.Route]) -> None:
        self._routes, self._routed = value, {}

    # ---- plans -------------------------------------------------------------------------------
    def plan(self, conn: Connection, version_id: int) -> Plan:
        routed = self._routed.get(version_id)
        if routed is None:
            found = self._plans.get(version_id)
            if found is None:
                journey_id, data = store.version_document(conn, version_id)
                found = self._plans[version_id] = compile_plan(journey_id, version_id, data)
            routed = self._routed[version_id] = routing.apply(found, self._routes)
        return routed

    def _running(self, conn: Connection) -> tuple[dict[int, Plan], set[int]]:
        """Current plans of live and paused journeys, and the ids of the live ones."""
        plans, live = {}, set()
        for journey_id, (status, version_id) in store.journey_states(conn).items():
            if version_id is None:
                continue
            try:  # a version that cannot be compiled stops its own journey, not every journey
                plans[journey_id] = self.plan(conn, version_id)
            except quarantine.INFRASTRUCTURE:
                raise
            except Exception:
                log.exception("journey %s: version %s cannot run", journey_id, version_id)
                continue
            if status == "live":
                live.add(journey_id)
        return plans, live

    def now(self) -> int:
        return int(self.ctx.clock.now().timestamp())

    # ---- one pass ------------------------------------------------------------------------------
    def run(self, *, max_batches: int = 1_000) -> int:
        """Consume new events, then advance everything due. Returns the number of steps taken."""
        self.policy = load_policy(self.ctx)
        self.routes = experiments.refresh_routes(self)
        self.leases.held(force=True)
        steps = 0
        for _ in range(max_batches):
            self.statistics.refresh_if_due()
            taken, events = self.consume_events()
            steps += taken
            if not events:
                break
        for _ in range(max_batches):
            self.statistics.refresh_if_due()
            taken, claimed = self.advance_due()
            steps += taken
            if claimed < self.batch_size:
                break
        return steps

    def _env(self, contact: ContactView, plan: Plan, now: int, sends: dict[int, Any]) -> Env:
        env = Env(now, contact, plan.settings, self.policy, sends.setdefault(contact.id, {}))
        if plan.needs_history:
            env.segments = self._segments
            env.events = self._events.get(contact.id, [])
        if plan.needs_recommendations:
            env.recommendations = self._recommendations.get(contact.id, [])
        if plan.needs_predictions:
            contact.predicted = self._predictions.get(contact.id, {})
            env.predictions_loaded = True
        if plan.needs_send_profiles:
            env.send_profile = self._send_profiles.get(contact.id)
            env.workspace_profile = self._workspace_profile
        return env

    def _load_history(self, conn: Connection, plans: list[Plan], contact_ids: list[int]) -> None:
        """Saved segments and event history, only for batches whose branches need them."""
        self._segments, self._events = {}, {}
        if any(p.needs_history for p in plans):
            self._segments = store.saved_segments(conn)
            self._events = store.events_for_contacts(conn, contact_ids)
        self._recommendations = {}
        if any(p.needs_recommendations for p in plans):
            self._recommendations = products.recommendations_for(conn, contact_ids, recommend.LIST_SIZE)
        needed = any(p.needs_predictions for p in plans)
        self._predictions = predictions.predictions_for(conn, contact_ids) if needed else {}
        self._send_profiles, self._workspace_profile = {}, None
        if any(p.needs_send_profiles for p in plans):
            self._send_profiles = send_times.profiles(conn, contact_ids)
            self._workspace_profile = send_times.workspace(conn)

    def _needs_sends(self, plans: list[Plan]) -> int:
        """How far back sends matter for caps (0 when no cap applies to these journeys)."""
        caps = list(self.policy.frequency_caps)
        for plan in plans:
            caps.extend(plan.settings.frequency_caps)
        return delivery.longest_cap_seconds(caps)

    def _write(self, conn: Connection, result: Result, contacts: dict[int, ContactView], now: int) -> None:
        store.insert_messages(conn, result.messages, now)
        store.bump_counts(conn, result.all_counts())
        funnel_log.record_steps(conn, result.log, now, lambda version_id: self.plan(conn, version_id).types)
        store.save_attributes(conn, contacts.values(), self.ctx.clock.now())
        handover.unmatched_replies(conn, result.log, lambda version_id: self.plan(conn, version_id).configs, now)
        changed = [c.id for c in contacts.values() if c.attributes_changed]
        if changed:  # update-attribute steps can move contacts into segments (segment-entry journeys)
            with Session(bind=conn) as session:
                refresh_contacts(session, contact_ids=changed, ctx=self.ctx, changed={"attributes"})

    def advance_due(self) -> tuple[int, int]:
        now = self.now()
        return quarantine.guarded(lambda: self._advance(now), lambda: self._advance_isolated(now), "enrollments")

    def _advance_isolated(self, now: int) -> tuple[int, int]:
        held = self.leases.held()
        with self.ctx.db.engine.connect() as conn:
            live = sorted(self._running(conn)[1])
            ids = store.due_ids(conn, now=now, journey_ids=live, limit=self.batch_size, partitions=held)
        return quarantine.attempt(
            ids,
            lambda chunk: self._advance(now, chunk),
            lambda row_id, exc: quarantine.park_one(self.ctx, "enrollment", row_id, exc),
        )

    def _advance(self, now: int, ids: list[int] | None = None) -> tuple[int, int]:
        held = self.leases.held()
        with paused_gc(), self.ctx.db.engine.begin() as conn:
            owned = partitions.lock_owned(conn, self.leases.worker, held, self.leases.now())
            if not owned:
                return 0, 0
            _plans, live = self._running(conn)
            live_ids = sorted(live)
            states, bad = store.claim_due(
                conn, now=now, journey_ids=live_ids, limit=self.batch_size, ids=ids, partitions=owned
            )
            parked.park(conn, bad, now)
            if not states:
                return 0, len(bad)
            plans = {s.version_id: self.plan(conn, s.version_id) for s in states}
            contacts = store.load_contacts(conn, (s.contact_id for s in states))
            window = self._needs_sends(list(plans.values()))
            sends = store.recent_sends(conn, contact_ids=list(contacts), since=now - window) if window else {}
            self._load_history(conn, list(plans.values()), list(contacts))
            result = Result()
            changes = []
            for state in states:
                guard = (state.node_id, state.phase, state.due_at)
                contact = contacts.get(state.contact_id)
                if contact is None:  # the contact was deleted: end the run quietly
                    exit_now(state, "contact_deleted", result)
                else:
                    plan = plans[state.version_id]
                    advance(state, plan, self._env(contact, plan, now, sends), result)
                changes.append((state, guard))
            store.update_enrollments(conn, changes, now)
            self._write(conn, result, contacts, now)
        return result.steps, len(states) + len(bad)

    def end_journey(self, conn: Connection, journey_id: int, reason: str) -> int:
        """Exit everyone still in a journey (it is being archived), logged and counted like any exit.

        Runs in the caller's transaction, in chunks of the batch size; returns how many contacts left.
        """
        now, after_id, total = self.now(), 0, 0
        while True:
            states, bad, last = store.active_in_journey(
                conn, journey_id=journey_id, after_id=after_id, limit=self.batch_size
            )
            if not last:
                return total
            parked.park(conn, bad, now)
            result = Result()
            changes = []
            for state in states:
                changes.append((state, (state.node_id, state.phase, state.due_at)))
                exit_now(state, reason, result)
            store.update_enrollments(conn, changes, now)
            self._write(conn, result, {}, now)
            after_id = last
            total += len(states)

    # ---- events ---------------------------------------------------------------------------------
    def replay(self, event_id: int) -> None:
        """Process one event again, e.g. retried from quarantine; raises when it still cannot be processed."""
        self.policy = load_policy(self.ctx)
        self.routes = experiments.refresh_routes(self)
        with paused_gc(), self.ctx.db.engine.begin() as conn:
            events = store.event_by_id(conn, event_id)
            if events:
                self._take_events(conn, events, self.now())

    def _take_events(self, conn: Connection, events: list[tuple[int, int, str, dict[str, Any]]], now: int) -> int:
        plans, live = self._running(conn)
        contact_ids = sorted({e[1] for e in events})
        running, bad = store.active_for_contacts(conn, contact_ids)
        parked.park(conn, bad, now)
        by_contact: dict[int, list[tuple[State, tuple[str, int, int]]]] = {}
        for state in running:
            by_contact.setdefault(state.contact_id, []).append((state, (state.node_id, state.phase, state.due_at)))
        result = Result()
        candidates: list[Candidate] = []
        contact_events: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        for _event_id, contact_id, name, props in events:
            for state, _guard in by_contact.get(contact_id, []):
                self._apply_event(conn, state, name, props, now, result)
            seen = contact_events.setdefault(contact_id, [])
            seen.append((name, props))
            for plan in plans.values():
                if plan.entry_matches(name, props):
                    candidates.append(Candidate(plan, contact_id, props, seen, len(seen) - 1))
        changed = [
            (s, g)
            for pairs in by_contact.values()
            for s, g in pairs
            if (s.node_id, s.phase, s.due_at) != g or s.status != "active" or s.resume_port
        ]
        store.update_enrollments(conn, changed, now)
        self._write(conn, result, {}, now)
        goals = {p.goal.event for p in plans.values() if p.goal}
        record_conversions(
            conn,
            events,
            now,
            lambda v: self.plan(conn, v).goal,
            lambda v: self.plan(conn, v).types,
            goals,
            self.policy.revenue,
        )
        return self.enter(conn, candidates, live, now)

    def _apply_event(self, conn: Connection, state: State, name: str, props: dict, now: int, result: Result) -> None:
        if state.status != "active":
            return
        plan = self.plan(conn, state.version_id)
        reason = plan.exit_reason(name, props)
        if reason:
            exit_now(state, reason, result)
            return
        if state.phase == 1 and state.resume_port is None and plan.wakes(state.node_id, name, props):
            state.resume_port, state.due_at = "event", now
            # A reply is kept apart: ``event`` stays what brought the contact in, for later messages.
            state.context["reply_event" if plan.types[state.node_id] == "wait.reply" else "event"] = props

    # ---- entries --------------------------------------------------------------------------------
    def _entry_context(self, cand: Candidate) -> dict[str, Any]:
        """A new enrollment's context: what brought it in, and its holdout group (the split control's flag)."""
        context: dict[str, Any] = {"event": cand.event}
        plan = cand.plan
        held = held_out(
            cand.contact_id, plan.journey_id, plan.settings.holdout_percent, self.policy.revenue.control_group_percent
        )
        if held:
            context["control"] = held
        return context

    def enter(self, conn: Connection, candidates: list[Candidate], live: set[int], now: int) -> int:
        """Create enrollments that the re-entry rules allow, and run those of live journeys at once."""
        if not candidates:
            return 0
        journey_ids = sorted({c.plan.journey_id for c in candidates})
        history = store.entry_history(conn, journey_ids=journey_ids, contact_ids=[c.contact_id for c in candidates])
        fresh: list[State] = []
        entered: list[Candidate] = []  # the candidate behind each fresh state
        result = Result()
        for cand in candidates:
            plan = cand.plan
            if plan.journey_id not in live and plan.settings.when_paused == "refuse":
                result.counts[(plan.journey_id, plan.version_id, plan.entry_id, "", "refused", "paused")] += 1
                continue
            runs, running = history.setdefault((plan.journey_id, cand.contact_id), [0, 0])
            if not plan.may_enter(runs, running):
                continue
            history[(plan.journey_id, cand.contact_id)] = [runs + 1, running + 1]
            context = self._entry_context(cand)
            entered.append(cand)
            fresh.append(
                State(
                    None,
                    plan.journey_id,
                    plan.version_id,
                    cand.contact_id,
                    runs + 1,
                    plan.entry_id,
                    due_at=now,
                    context=context,
                    entered_at=now,
                )
            )
        plans = {s.version_id: self.plan(conn, s.version_id) for s in fresh}
        runnable = [s for s in fresh if s.journey_id in live]
        contacts = store.load_contacts(conn, (s.contact_id for s in runnable))
        window = self._needs_sends(list(plans.values()))
        sends = store.recent_sends(conn, contact_ids=list(contacts), since=now - window) if window and contacts else {}
        self._load_history(conn, list(plans.values()), list(contacts))
        for state in runnable:
            contact = contacts.get(state.contact_id)
            if contact is not None:
                plan = plans[state.version_id]
                advance(state, plan, self._env(contact, plan, now, sends), result)
        for state, cand in zip(fresh, entered, strict=True):
            for name, props in cand.later_events():
                self._apply_event(conn, state, name, props, now, result)
        store.insert_enrollments(conn, fresh, now)
        self._write(conn, result, contacts, now)
        return result.steps

