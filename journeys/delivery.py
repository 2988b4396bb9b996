"""Respect for the person, decided before a message is queued: consent, address, quiet hours, caps."""

from __future__ import annotations

from journeys.document import FrequencyCap
from journeys.localtime import in_window, window_end, zone
from journeys.steps.types import ContactView, Env

# Channels whose consent must be given explicitly; in-app shows inside the app the person opened.
OPT_IN_CHANNELS = {"push", "sms", "email"}


def consent_problem(contact: ContactView, channel: str) -> str | None:
    status = contact.consent.get(channel)
    if status == "unsubscribed":
        return "unsubscribed"
    if channel in OPT_IN_CHANNELS and status != "subscribed":
        return "no_consent"
    return None


def address_problem(contact: ContactView, channel: str) -> str | None:
    needed = {"push": contact.external_id, "sms": contact.phone, "email": contact.email}
    if channel in needed and not needed[channel]:
        return "no_address"
    if channel == "in_app" and not contact.external_id:
        return "no_address"
    return None


def quiet_until(env: Env, channel: str) -> int | None:
    """When the quiet period ends if the contact is inside it now, else None."""
    rules = env.policy.quiet_hours
    if not rules.enabled or channel not in rules.channels:
        return None
    tz = zone(env.contact.time_zone, env.settings.default_time_zone or env.policy.default_time_zone)
    if not in_window(env.now, rules.start, rules.end, tz):
        return None
    return window_end(env.now, rules.end, tz)


def _over(cap: FrequencyCap, sends: list[tuple[int, int]], now: int, journey_id: int | None) -> bool:
    since = now - int(cap.per.to_timedelta().total_seconds())
    used = sum(1 for at, jid in sends if at > since and (journey_id is None or jid == journey_id))
    return used >= cap.max_messages


def cap_reached(env: Env, channel: str, journey_id: int) -> bool:
    sends = env.recent_sends.get(channel)
    if not sends:
        return False  # no cap allows fewer than one message
    if any(_over(c, sends, env.now, None) for c in env.policy.frequency_caps if c.channel == channel):
        return True
    return any(_over(c, sends, env.now, journey_id) for c in env.settings.frequency_caps if c.channel == channel)


def longest_cap_seconds(caps: list[FrequencyCap]) -> int:
    return max((int(c.per.to_timedelta().total_seconds()) for c in caps), default=0)
