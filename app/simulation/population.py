"""A seeded population of app users emitting Segment-shaped ``track`` calls.

Time is cut into fixed slots; each slot's events come from a random source seeded by (seed, slot), so the
events of any range are the same whether it is asked for in one call or in many. Some events have
follow-ups a few minutes later (a viewed product put in the cart, an abandoned cart bought after all);
they belong to the slot that caused them, which is why a range also looks back ``FOLLOW_UP_S``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SLOT_S = 10
FOLLOW_UP_S = 15 * 60
# Flagship store of the geo-push template (48.8698, 2.3316); "near" is within about 200 m of it.
STORE = (48.8698, 2.3316)
FAR_PLACES = [(45.7640, 4.8357, "Lyon"), (48.8566, 2.3522, "Paris"), (48.8397, 2.2399, "Boulogne-Billancourt")]
DESTINATIONS = ["Lisbonne", "New York", "Marrakech", "Rome", "Barcelone", "Montréal"]
MERCHANTS = ["Boutique Lumière", "TechWorld Online", "Café des Arts", "AirVoyage"]


@dataclass(frozen=True)
class Behaviour:
    """How often each event happens (relative weights) and the chances of follow-ups."""

    events_per_minute: float = 60.0
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "app_opened": 28,
            "Product Viewed": 22,
            "Checkout Started": 8,
            "Order Completed": 3,
            "location_updated": 9,
            "flight_delayed": 3,
            "suspicious_transaction": 2,
            "signed_up": 2,
            "feature_used": 5,
            "trip_booked": 3,
            "payment_completed": 2,
        }
    )
    near_store: float = 0.45  # share of location updates reported close to the store
    cart_after_view: float = 0.12
    order_after_cart: float = 0.3


@dataclass(frozen=True)
class SimEvent:
    at: datetime
    user_id: str
    event: str
    properties: dict[str, Any]
    message_id: str

    def segment(self) -> dict[str, Any]:
        """The Segment ``track`` call an app would send for this event (location events carry the device's
        position in ``context.location``, as Segment's mobile libraries send it)."""
        context: dict[str, Any] = {"library": {"name": "parcours-simulator", "version": "1"}}
        if "lat" in self.properties:
            context["location"] = {"latitude": self.properties["lat"], "longitude": self.properties["lon"]}
        return {
            "type": "track",
            "userId": self.user_id,
            "event": self.event,
            "properties": self.properties,
            "timestamp": self.at.isoformat(),
            "messageId": self.message_id,
            "context": context,
        }


class Population:
    """People (their user ids) and their behaviour; ``events(start, end)`` is pure."""

    def __init__(self, user_ids: Sequence[str], *, seed: int, behaviour: Behaviour | None = None) -> None:
        self.user_ids = sorted(user_ids)
        self.seed = seed
        self.behaviour = behaviour or Behaviour()
        names = list(self.behaviour.weights)
        self._names = names
        self._weights = [self.behaviour.weights[n] for n in names]

    def events(self, start: datetime, end: datetime) -> list[SimEvent]:
        """Every event with ``start < at <= end``, in time order."""
        if not self.user_ids or end <= start:
            return []
        lo, hi = int(start.timestamp()), int(end.timestamp())
        out: list[SimEvent] = []
        for slot in range((lo - FOLLOW_UP_S) // SLOT_S, hi // SLOT_S + 1):
            out.extend(e for e in self._slot(slot) if lo < e.at.timestamp() <= hi)
        out.sort(key=lambda e: (e.at, e.message_id))
        return out

    def _slot(self, slot: int) -> list[SimEvent]:
        rng = random.Random(f"{self.seed}:{slot}")
        count = _poisson(rng, self.behaviour.events_per_minute * SLOT_S / 60)
        out: list[SimEvent] = []
        for index in range(count):
            at = slot * SLOT_S + rng.uniform(0, SLOT_S)
            user = rng.choice(self.user_ids)
            name = rng.choices(self._names, weights=self._weights)[0]
            key = f"sim-{self.seed}-{slot}-{index}"
            out.append(self._event(rng, at, user, name, key))
            out.extend(self._follow_ups(rng, at, user, name, key))
        return out

    def _follow_ups(self, rng: random.Random, at: float, user: str, name: str, key: str) -> list[SimEvent]:
        b = self.behaviour
        if name == "Product Viewed" and rng.random() < b.cart_after_view:
            later = at + rng.uniform(60, 5 * 60)
            cart = self._event(rng, later, user, "Checkout Started", key + "-cart")
            if rng.random() < b.order_after_cart:
                return [cart, self._event(rng, later + rng.uniform(60, 9 * 60), user, "Order Completed", key + "-buy")]
            return [cart]
        if name == "Checkout Started" and rng.random() < b.order_after_cart:
            return [self._event(rng, at + rng.uniform(30, 10 * 60), user, "Order Completed", key + "-buy")]
        return []

    def _event(self, rng: random.Random, at: float, user: str, name: str, key: str) -> SimEvent:
        return SimEvent(datetime.fromtimestamp(at, UTC), user, name, _properties(rng, name, self.behaviour), key)


def _properties(rng: random.Random, name: str, behaviour: Behaviour) -> dict[str, Any]:
    if name in {"Checkout Started", "Order Completed"}:
        return {"revenue": round(rng.uniform(15, 400), 2), "currency": "EUR", "items": rng.randint(1, 5)}
    if name == "Product Viewed":
        return {"sku": f"SKU-{rng.randint(1000, 9999)}"}
    if name == "location_updated":
        if rng.random() < behaviour.near_store:
            lat, lon, city = STORE[0] + rng.uniform(-0.0015, 0.0015), STORE[1] + rng.uniform(-0.002, 0.002), "Paris"
        else:
            lat, lon, city = rng.choice(FAR_PLACES)
        return {"city": city, "lat": round(lat, 5), "lon": round(lon, 5)}
    if name == "flight_delayed":
        hour, minute = rng.randint(6, 22), rng.choice([0, 15, 30, 45])
        return {"flight_number": f"PC{rng.randint(100, 999)}", "new_departure": f"{hour:02d}:{minute:02d}"}
    if name == "suspicious_transaction":
        return {"amount": round(rng.uniform(80, 2_000), 2), "currency": "EUR", "merchant": rng.choice(MERCHANTS)}
    if name == "trip_booked":
        return {"destination": rng.choice(DESTINATIONS)}
    if name == "feature_used":
        return {"feature": rng.choice(["saved_search", "price_alert", "share"])}
    return {}


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means of one slot."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
