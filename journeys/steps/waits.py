"""Waits: a duration, a local time of day or date, an event or a reply, with a timeout."""

from __future__ import annotations

from typing import Any

from journeys import replies
from journeys.localtime import local_moment, next_time_of_day, parse_hhmm, to_epoch, zone
from journeys.nodes.wait_reply import views
from journeys.nodes.wait_until import WEEKDAYS
from journeys.steps.types import Decision, Env, State


def contact_zone(env: Env) -> Any:
    return zone(env.contact.time_zone, env.settings.default_time_zone or env.policy.default_time_zone)


def wait_duration(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("next")
    return Decision.wait(env.now + int(config.duration.to_timedelta().total_seconds()))


def wait_until(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("next")
    tz = contact_zone(env)
    if config.mode == "date":
        target = to_epoch(local_moment(config.date, parse_hhmm(config.time), tz))
        return Decision.go("next") if target <= env.now else Decision.wait(target)
    days = {WEEKDAYS.index(d) for d in config.weekdays} or None
    return Decision.wait(next_time_of_day(env.now, config.time, tz, days))


def wait_event(config: Any, state: State, env: Env) -> Decision:
    if state.phase == 1:
        return Decision.go("event" if state.resume_port == "event" else "timeout")
    return Decision.wait(env.now + int(config.timeout.to_timedelta().total_seconds()), event=config.event)


REPLY_EVENT = "message.received"


def wait_reply(config: Any, state: State, env: Env) -> Decision:
    """Waits for ``message.received``; the reply's port is logged as the reason of a ``replied`` outcome (the
    analytics count replies per node and port from it). A timeout leaves a mark so a late reply is handed to
    a person instead of being lost."""
    if state.phase == 0:
        # The wait names its channel, so an inbound message on another channel knows no journey takes it.
        waited = REPLY_EVENT if config.channel == "any" else f"{REPLY_EVENT}:{config.channel}"
        return Decision.wait(env.now + int(config.timeout.to_timedelta().total_seconds()), event=waited)
    if state.resume_port != "event":
        mark = {"text": "", "intent": None, "timed_out_at": env.now, "node": state.node_id}
        return Decision.go(replies.TIMEOUT, outcome="timed_out", context_updates={"reply": mark})
    event = state.context.pop("reply_event", None) or {}
    text = str(event.get("text") or "")
    intent = event.get("intent") or None
    port = replies.port_for(views(config), text, intent)
    reply = {
        "text": text,
        "intent": intent,
        "answer": event.get("answer"),  # the FAQ entry's answer when an intent was recognised
        "port": port,
        "channel": event.get("channel"),
        "conversation_id": event.get("conversation_id"),
        "at": env.now,
    }
    return Decision.go(port, outcome="replied", reason=port, context_updates={"reply": reply})
