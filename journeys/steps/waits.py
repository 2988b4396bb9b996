"""Waits: a duration, a local time of day or date, or an event with a timeout."""

from __future__ import annotations

from typing import Any

from journeys.localtime import local_moment, next_time_of_day, parse_hhmm, to_epoch, zone
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
