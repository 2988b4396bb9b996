"""Respect for the person, decided before a message is queued: consent, address, quiet hours, caps."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from journeys.document import FrequencyCap
from journeys.localtime import in_window, window_end, zone
from journeys.policy import ConsentPolicy
from journeys.steps.types import ContactView, Env

# Channels that need a lawful basis; in-app shows inside the app the person opened.
OPT_IN_CHANNELS = {"push", "sms", "email"}


def consent_problem(contact: ContactView, channel: str, rules: ConsentPolicy | None = None) -> str | None:
    """Why ``contact`` may not get ``channel`` under the workspace's consent ``rules``, or None.

    An explicit opt-out always wins; a recorded opt-in always allows. Otherwise the channel's basis decides:
    a reported push token is the consent for push, legitimate interest allows email or SMS unless opted out.
    """
    status = contact.consent.get(channel)
    if status == "unsubscribed":
        return "unsubscribed"
    if channel not in OPT_IN_CHANNELS or status == "subscribed":
        return None
    basis = getattr(rules or ConsentPolicy(), channel)
    if basis == "legitimate_interest" or (basis == "push_token" and contact.push_id):
        return None
    return "no_consent"


def address_problem(contact: ContactView, channel: str) -> str | None:
    needed = {"push": contact.external_id, "sms": contact.phone, "email": contact.email}
    if channel in needed and not needed[channel]:
        return "no_address"
    if channel == "in_app" and not contact.external_id:
        return "no_address"
    return None


def contact_zone(env: Env) -> ZoneInfo:
    """The contact's time zone, else the journey's default, else the workspace's."""
    return zone(env.contact.time_zone, env.settings.default_time_zone or env.policy.default_time_zone)


def quiet_at(env: Env, channel: str, at: int) -> bool:
    """Whether ``at`` falls inside the contact's quiet hours for ``channel``."""
    rules = env.policy.quiet_hours
    if not rules.enabled or channel not in rules.channels:
        return False
    return in_window(at, rules.start, rules.end, contact_zone(env))


def quiet_until(env: Env, channel: str) -> int | None:
    """When the quiet period ends if the contact is inside it now, else None."""
    if not quiet_at(env, channel, env.now):
        return None
    return window_end(env.now, env.policy.quiet_hours.end, contact_zone(env))


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
