"""Simulated people with a hidden truth: when they look at their phone, how likely they are to buy, what they like.

Each ``Person`` carries what a marketer never sees: ``active`` (the chance they look at their phone in each local
hour of the week, Monday 00:00 = index 0, drawn from one or two daily rhythms such as a commuter's or a night
owl's), ``propensity`` (the chance they order in the next 14 days, a logistic function of how much they use the
app, how deeply they browse and how often they fill a cart, plus their own noise) and ``affinities`` (weights
over product categories). ``SimulatedAudience`` makes the people from a seed, gives their Segment ``identify``
calls, their ``track`` events over any time range (``app/simulation/people_events.py``) and how they answer a
message (``respond``). Everything is pure and deterministic: the same seed gives the same answers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.simulation import people_events
from app.simulation.people_events import CATEGORIES

HOURS_OF_WEEK = 168
# (IANA zone, share of people)
ZONES = (
    ("Europe/Paris", 0.30),
    ("Europe/London", 0.12),
    ("Europe/Berlin", 0.10),
    ("America/New_York", 0.14),
    ("America/Chicago", 0.06),
    ("America/Los_Angeles", 0.08),
    ("America/Sao_Paulo", 0.05),
    ("Asia/Tokyo", 0.05),
    ("Asia/Kolkata", 0.05),
    ("Australia/Sydney", 0.05),
)
# Chance of noticing a message when looking at the phone, and of clicking once opened, per channel.
NOTICE = {"push": 0.55, "email": 0.45, "sms": 0.8, "in_app": 0.7}
CLICK = {"push": 0.25, "email": 0.2, "sms": 0.15, "in_app": 0.3}
# A message is opened when the person next looks: fully in the hour it arrives, less and less after.
LOOK_DECAY = (1.0, 0.6, 0.3)
PROPENSITY_WINDOW_DAYS = 14


def _commuter(day: int, hour: int) -> float:
    if day < 5:
        return {7: 1.0, 8: 0.9, 17: 0.7, 18: 1.0}.get(hour, 0.0)
    return 0.3 if hour in (10, 11) else 0.0


def _lunch(day: int, hour: int) -> float:
    if day < 5:
        return {12: 1.0, 13: 0.6}.get(hour, 0.0)
    return 0.4 if hour == 13 else 0.0


def _evening(day: int, hour: int) -> float:
    return {19: 0.6, 20: 1.0, 21: 0.8}.get(hour, 0.0)


def _night_owl(day: int, hour: int) -> float:
    return {22: 0.6, 23: 1.0, 0: 0.9, 1: 0.6}.get(hour, 0.0)


def _weekend(day: int, hour: int) -> float:
    if day >= 5:
        return 0.8 if 9 <= hour <= 17 else 0.0
    return 0.2 if hour == 20 else 0.0


def _early_bird(day: int, hour: int) -> float:
    return {5: 0.6, 6: 1.0, 7: 0.5}.get(hour, 0.0)


RHYTHMS: dict[str, Callable[[int, int], float]] = {
    "commuter": _commuter,
    "lunch": _lunch,
    "evening": _evening,
    "night_owl": _night_owl,
    "weekend": _weekend,
    "early_bird": _early_bird,
}
RHYTHM_SHARES = {
    "commuter": 0.22,
    "lunch": 0.14,
    "evening": 0.26,
    "night_owl": 0.14,
    "weekend": 0.14,
    "early_bird": 0.1,
}


@dataclass(frozen=True)
class Person:
    user_id: str
    timezone: str
    active: tuple[float, ...]  # hidden: chance of looking at the phone in each local hour of the week
    propensity: float  # hidden: chance of ordering in the next 14 days
    affinities: dict[str, float]  # hidden: weights over CATEGORIES, summing to 1
    rhythms: tuple[str, ...]  # hidden: the daily rhythms ``active`` was drawn from
    app_share: float  # share of the times they look at their phone when they open the app
    views_per_session: float
    cart_rate: float  # chance a viewed product goes in the cart
    email: str
    phone: str
    consent: dict[str, bool]

    def local_hour_of_week(self, at: datetime) -> int:
        local = at.astimezone(ZoneInfo(self.timezone))
        return local.weekday() * 24 + local.hour

    def sessions_per_week(self) -> float:
        return sum(self.active) * self.app_share


@dataclass(frozen=True)
class Response:
    """How one person answered one message."""

    opened_at: datetime | None
    clicked: bool
    converted: bool


def propensity_of(app_share: float, active_sum: float, views: float, cart_rate: float, noise: float) -> float:
    """The hidden chance to order in the next 14 days: logistic in sessions per week (whose inverse is the expected
    days since the last visit), browsing depth and cart rate, plus the person's own noise."""
    sessions = active_sum * app_share
    z = -4.0 + 1.1 * math.log1p(sessions) + 0.35 * (views - 2.5) + 7.0 * cart_rate + noise
    return 1.0 / (1.0 + math.exp(-z))


def _active(rng: random.Random) -> tuple[tuple[float, ...], tuple[str, ...]]:
    names = list(RHYTHM_SHARES)
    first = rng.choices(names, weights=list(RHYTHM_SHARES.values()))[0]
    rhythms = [first]
    if rng.random() < 0.4:
        second = rng.choices(names, weights=list(RHYTHM_SHARES.values()))[0]
        if second != first:
            rhythms.append(second)
    mix = [1.0] if len(rhythms) == 1 else [0.65, 0.35]
    shift, peak, base = rng.choice((-1, 0, 0, 0, 1)), rng.uniform(0.35, 0.85), rng.uniform(0.01, 0.05)
    values = []
    for index in range(HOURS_OF_WEEK):
        day, hour = divmod((index - shift) % HOURS_OF_WEEK, 24)
        asleep = 2 <= hour <= 5 and "early_bird" not in rhythms
        level = sum(w * RHYTHMS[name](day, hour) for w, name in zip(mix, rhythms, strict=True))
        values.append(round(min(0.95, (base * (0.2 if asleep else 1.0)) + peak * level), 4))
    return tuple(values), tuple(rhythms)


def _affinities(rng: random.Random) -> dict[str, float]:
    raw = [rng.gammavariate(0.35, 1.0) + 1e-6 for _ in CATEGORIES]
    total = sum(raw)
    return {name: round(value / total, 5) for name, value in zip(CATEGORIES, raw, strict=True)}


def _fictional_phone(zone: str, index: int) -> str:
    """Numbers from ranges reserved for fiction (Ofcom's 07700 900xxx, ARCEP's 06 39 98 xx xx), as the demo's: a
    simulated population sent to a real server never reaches a real phone."""
    if zone == "Europe/London":
        return f"+447700900{index % 1_000:03d}"
    return f"+3363998{index % 10_000:04d}"


def make_person(seed: int, index: int) -> Person:
    rng = random.Random(f"person:{seed}:{index}")
    user_id = f"sim-{index:06d}"
    zone = rng.choices(ZONES, weights=[share for _, share in ZONES])[0]
    active, rhythms = _active(rng)
    app_share = min(0.6, rng.lognormvariate(math.log(0.18), 0.6))
    views = rng.uniform(1.0, 4.5)
    cart_rate = rng.betavariate(1.5, 10.0)
    propensity = propensity_of(app_share, sum(active), views, cart_rate, rng.gauss(0.0, 0.5))
    consent = {"push": rng.random() < 0.9, "email": rng.random() < 0.85, "sms": rng.random() < 0.7}
    return Person(
        user_id=user_id,
        timezone=zone[0],
        active=active,
        propensity=round(propensity, 5),
        affinities=_affinities(rng),
        rhythms=rhythms,
        app_share=round(app_share, 4),
        views_per_session=round(views, 3),
        cart_rate=round(cart_rate, 4),
        email=f"{user_id}@people.example",
        phone=_fictional_phone(zone[0], index),
        consent=consent,
    )


def open_chance(person: Person, channel: str, sent_at: datetime) -> float:
    """The hidden chance that ``person`` opens a message of ``channel`` sent at ``sent_at``: they notice it the
    next time they look at their phone, in the hour it arrives or the following ones (less and less)."""
    notice, start = NOTICE.get(channel, 0.5), person.local_hour_of_week(sent_at)
    chance, not_yet = 0.0, 1.0
    for offset, decay in enumerate(LOOK_DECAY):
        look = person.active[(start + offset) % HOURS_OF_WEEK]
        chance += not_yet * look * decay
        not_yet *= 1.0 - look
    return notice * chance


def respond(person: Person, seed: int, channel: str, sent_at: datetime) -> Response:
    """One seeded answer to one message: the same (seed, person, channel, sent_at) always gives the same answer."""
    rng = random.Random(f"respond:{seed}:{person.user_id}:{channel}:{sent_at.timestamp():.0f}")
    notice, start = NOTICE.get(channel, 0.5), person.local_hour_of_week(sent_at)
    minute = sent_at.minute
    for offset, decay in enumerate(LOOK_DECAY):
        if rng.random() < person.active[(start + offset) % HOURS_OF_WEEK]:
            if rng.random() < notice * decay:
                # They look at a moment of that hour (after the send in the first one).
                at_minute = rng.uniform(minute, 60) if offset == 0 else rng.uniform(0, 60)
                opened_at = sent_at + timedelta(minutes=at_minute - minute + 60 * offset)
                clicked = rng.random() < CLICK.get(channel, 0.2)
                converted = rng.random() < min(1.0, person.propensity * (1.5 if clicked else 0.6))
                return Response(opened_at, clicked, converted)
            break
    return Response(None, False, rng.random() < person.propensity * 0.02)


class SimulatedAudience:
    """``size`` people made from ``seed``; ``events`` and ``respond`` are pure functions of the seed."""

    def __init__(self, size: int, seed: int) -> None:
        if size < 0:
            raise ValueError("size must not be negative")
        self.size, self.seed = size, seed
        self.people = [make_person(seed, index) for index in range(size)]
        self.by_id = {person.user_id: person for person in self.people}

    def identify_calls(self) -> list[dict[str, Any]]:
        """One Segment ``identify`` call per person: email, phone, time zone and consent per channel."""
        return [
            {
                "type": "identify",
                "userId": p.user_id,
                "messageId": f"identify-{self.seed}-{p.user_id}",
                "traits": {"email": p.email, "phone": p.phone, "timezone": p.timezone, "consent": dict(p.consent)},
            }
            for p in self.people
        ]

    def events(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Every ``track`` call with ``start < timestamp <= end``, in time order; slicing the range changes
        nothing."""
        return people_events.events_between(self.people, self.seed, start, end)

    def respond(self, user_id: str, channel: str, sent_at: datetime) -> Response:
        return respond(self.by_id[user_id], self.seed, channel, sent_at)
