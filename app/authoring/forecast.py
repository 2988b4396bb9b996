"""The forecast before publish: a journey draft played on the real audience for the next 7 days, nothing sent.

Loads contact snapshots and rates through storage (read only) and hands them to the pure ``journeys.forecast``,
which runs the draft's own step functions under the workspace's delivery policy. Large audiences are sampled
(``SAMPLE`` contacts, chosen with a seed of the journey id so a forecast repeats) and scaled up; the report says
so. A draft that does not validate is refused with its problems, like publish.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from app.authoring import forecast_entries
from app.authoring.forecast_entries import Candidates
from app.authoring.service import InvalidJourney, check
from app.core.context import AppContext
from app.delivery.workspace import load_policy
from journeys import delivery, document, recommend
from journeys.forecast import (
    Conversion,
    Forecast,
    Horizon,
    Shared,
    Snapshot,
    conversion,
    conversions,
    forecast,
)
from journeys.plan import Plan, compile_plan
from journeys.policy import DeliveryPolicy
from storage import enrollments, products
from storage import forecast as store
from storage import journeys as journey_store
from storage import send_time as send_times

SAMPLE = 5_000
DAYS = 7
WEEKS = 4


@dataclass(frozen=True)
class Report:
    forecast: Forecast
    conversion: Conversion
    conversions: float | None
    source: str  # how contacts enter: event | segment | api | schedule | date | none
    population: int  # contacts who could enter
    sampled: int  # of whom the forecast played
    occurrences: int = 0  # schedule runs in the week

    @property
    def scaled(self) -> bool:
        return self.sampled < self.population

    @property
    def no_history(self) -> bool:
        """Nobody could be seen entering: the figures are zero for want of history, not a promise of silence."""
        return self.population == 0

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (the API's and the CLI's answer)."""
        found = self.forecast
        return {
            "days": found.days,
            "entries_per_day": [round(v, 1) for v in found.entries],
            "messages_per_day": {c: [round(v, 1) for v in days] for c, days in found.messages.items()},
            "messages": {c: round(found.total(c), 1) for c in found.messages},
            "skips": _by_reason(found.skips),
            "deferred": _by_reason(found.deferred),
            "conversions": None if self.conversions is None else round(self.conversions, 1),
            "conversion_source": self.conversion.source,
            "conversion_rate": round(self.conversion.rate, 4),
            "entry_source": self.source,
            "population": self.population,
            "sampled": self.sampled,
            "scaled": self.scaled,
            "no_history": self.no_history,
        }


def _by_reason(counts: Any) -> list[dict[str, Any]]:
    return [
        {"channel": channel, "reason": reason, "count": round(n, 1)}
        for (channel, reason), n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]


def describe(data: dict[str, Any]) -> list[str]:
    """The report in plain English lines, for the command line."""
    lines = [f"entries per day: {', '.join(f'{v:g}' for v in data['entries_per_day'])} (from {data['entry_source']})"]
    for channel, days in data["messages_per_day"].items():
        lines.append(f"{channel} per day: {', '.join(f'{v:g}' for v in days)} ({data['messages'][channel]:g} in all)")
    lines += [f"skipped on {s['channel']}: {s['count']:g} ({s['reason']})" for s in data["skips"]]
    lines += [f"deferred on {s['channel']}: {s['count']:g} ({s['reason']})" for s in data["deferred"]]
    if data["conversions"] is not None:
        lines.append(f"expected conversions: {data['conversions']:g} ({data['conversion_source']})")
    if data["scaled"]:
        lines.append(f"sampled {data['sampled']} of {data['population']} contacts and scaled up")
    if data["no_history"]:
        lines.append("not enough history: nobody entered this way in the last 4 weeks; figures are zero")
    return lines


def forecast_journey(ctx: AppContext, journey_id: int) -> Report:
    """The forecast of a journey's current draft."""
    with ctx.db.session() as session:
        draft = journey_store.get_journey(session, journey_id=journey_id).draft
    return forecast_document(ctx, draft, journey_id=journey_id)


def forecast_document(ctx: AppContext, raw: str | bytes | dict[str, Any], *, journey_id: int = 0) -> Report:
    """The forecast of a journey document; InvalidJourney (its problems) when it does not validate."""
    doc, violations = check(raw)
    if violations:
        raise InvalidJourney(violations)
    plan = compile_plan(journey_id, 0, document.to_dict(doc))
    policy = load_policy(ctx)
    now = ctx.clock.now()
    start = int(now.timestamp())
    end, since = now + timedelta(days=DAYS), now - timedelta(weeks=WEEKS)
    with ctx.db.engine.connect() as conn:
        found = forecast_entries.candidates(
            conn, plan, now=now, end=end, since=since, default_tz=policy.default_time_zone
        )
        sample = _sample(found.ids, journey_id)
        snapshots = _snapshots(conn, plan, policy, found, sample, now)
        shared = _surroundings(conn, plan, snapshots) if snapshots else Shared()
    scale = len(found.ids) / len(sample) if sample else 1.0
    horizon = Horizon(start, DAYS, WEEKS, scale)
    result = forecast(plan, snapshots, policy, horizon, shared)
    rate = conversion(plan.goal, snapshots, horizon)
    return Report(result, rate, conversions(result, rate), found.source, len(found.ids), len(sample), found.occurrences)


def _surroundings(conn: Connection, plan: Plan, snapshots: list[Snapshot]) -> Shared:
    """What the plan's steps read besides the contact, loaded as the engine loads it (only when needed)."""
    ids = [snap.contact.id for snap in snapshots]
    shared = Shared()
    if plan.needs_history:
        events = enrollments.events_for_contacts(conn, ids)
        shared = Shared(segments=enrollments.saved_segments(conn))
        for snap in snapshots:
            snap.events = events.get(snap.contact.id, [])
    if plan.needs_recommendations:
        picks = products.recommendations_for(conn, ids, recommend.LIST_SIZE)
        for snap in snapshots:
            snap.recommendations = picks.get(snap.contact.id, [])
    if plan.needs_send_profiles:
        profiles = send_times.profiles(conn, ids)
        shared = Shared(shared.segments, send_times.workspace(conn))
        for snap in snapshots:
            snap.send_profile = profiles.get(snap.contact.id)
    return shared


def _sample(ids: list[int], journey_id: int) -> list[int]:
    if len(ids) <= SAMPLE:
        return ids
    return sorted(random.Random(f"forecast:{journey_id}").sample(ids, SAMPLE))


def history_names(plan: Plan) -> list[str]:
    """The events that matter to a replay: the entry event, what waits wait for, the goal and exit events."""
    names: set[str] = set(plan.settings.exit_events)
    if plan.entry_type == "entry.event":
        names.add(plan.entry_config.event)
    elif plan.entry_type == "entry.segment":
        names.add(forecast_entries.SEGMENT_ENTERED)
    for node_id, kind in plan.types.items():
        if kind == "wait.event":
            names.add(plan.configs[node_id].event)
        elif kind == "wait.reply":
            names.add("message.received")
    if plan.goal is not None:
        names.add(plan.goal.event)
    return sorted(names)


def _snapshots(
    conn: Connection, plan: Plan, policy: DeliveryPolicy, found: Candidates, sample: list[int], now: datetime
) -> list[Snapshot]:
    if not sample:
        return []
    start = int(now.timestamp())
    since = now - timedelta(weeks=WEEKS)
    contacts = enrollments.load_contacts(conn, sample)
    events = store.event_history(conn, contact_ids=sample, names=history_names(plan), since=since, until=now)
    window = delivery.longest_cap_seconds([*policy.frequency_caps, *plan.settings.frequency_caps])
    sends = enrollments.recent_sends(conn, contact_ids=sample, since=start - window) if window else {}
    runs: dict[tuple[int, int], list[int]] = {}
    if plan.journey_id:
        runs = enrollments.entry_history(conn, journey_ids=[plan.journey_id], contact_ids=sample)
    messaged: dict[int, list[int]] = {}
    if plan.goal is not None:
        messaged = store.messages_sent(conn, contact_ids=sample, since=int(since.timestamp()), until=start)
    out = []
    for cid in sample:
        contact = contacts.get(cid)
        if contact is None:
            continue
        done, running = runs.get((plan.journey_id, cid), [0, 0])
        history = events.get(cid, []) + found.history.get(cid, [])
        out.append(
            Snapshot(
                contact,
                history=history,
                upcoming=found.upcoming.get(cid, []),
                sends=sends.get(cid, {}),
                runs=done,
                running=running,
                messaged=messaged.get(cid, []),
            )
        )
    return out
