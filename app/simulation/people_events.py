"""The ``track`` calls of simulated people (``app/simulation/people.py``): sessions, product views, carts, orders.

Time is cut into one slot per person and UTC day; a slot's events come from a random source seeded by (seed,
person, day), so any range gives the same events whether it is asked for in one call or in many. A session can
run a few minutes past midnight, so a range also looks back one day.

In each hour a person opens the app with the chance they look at their phone then (``active``) times their
``app_share``; a session views a few products, mostly from the categories they like, and puts some in the cart.
Orders come at the rate of their hidden ``propensity`` (the chance of at least one order in 14 days), at an hour
they are active, after a short visit.
"""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from app.simulation.people import Person

DAY_S = 86_400
CATEGORIES = ("Shoes", "Bags", "Coats", "Watches", "Lamps", "Mugs", "Books", "Games", "Plants", "Tea")
PER_CATEGORY = 8


def _catalogue() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for category in CATEGORIES:
        rng = random.Random(f"catalogue:{category}")
        out[category] = [
            {
                "product_id": f"{category[:3].upper()}-{n:02d}",
                "category": category,
                "price": round(rng.uniform(8, 180), 2),
            }
            for n in range(PER_CATEGORY)
        ]
    return out


CATALOGUE = _catalogue()
# The first products of a category are the popular ones.
_POPULARITY = list(itertools.accumulate(1.0 / (n + 1) for n in range(PER_CATEGORY)))


def _local_hours(zone: str, day: int, cache: dict[tuple[str, int], list[int]]) -> list[int]:
    """Local hour of the week of each UTC hour of ``day`` (days since 1970-01-01) in ``zone``."""
    key = (zone, day)
    if key not in cache:
        tz, start = ZoneInfo(zone), datetime.fromtimestamp(day * DAY_S, UTC)
        cache[key] = []
        for hour in range(24):
            local = (start + timedelta(hours=hour)).astimezone(tz)
            cache[key].append(local.weekday() * 24 + local.hour)
    return cache[key]


class _Slot:
    """One person's events of one UTC day."""

    def __init__(self, person: Person, seed: int, day: int, hours: list[int], categories: list[float]) -> None:
        self.person, self.day, self.hours, self.categories = person, day, hours, categories
        self.rng = random.Random(f"events:{seed}:{person.user_id}:{day}")
        self.out: list[dict[str, Any]] = []
        self.prefix = f"ev-{seed}-{person.user_id}-{day}-"

    def run(self) -> list[dict[str, Any]]:
        p, rng = self.person, self.rng
        for hour, local in enumerate(self.hours):
            if rng.random() < p.active[local] * p.app_share:
                self._session(self.day * DAY_S + hour * 3600 + rng.uniform(0, 3300), order=False)
        daily = 1.0 - (1.0 - p.propensity) ** (1.0 / 14)
        if rng.random() < daily:
            weights = [p.active[local] for local in self.hours]
            hour = rng.choices(range(24), weights=weights)[0]
            self._session(self.day * DAY_S + hour * 3600 + rng.uniform(0, 3000), order=True)
        return self.out

    def _product(self) -> dict[str, Any]:
        category = CATEGORIES[bisect.bisect(self.categories, self.rng.random() * self.categories[-1])]
        index = bisect.bisect(_POPULARITY, self.rng.random() * _POPULARITY[-1])
        return CATALOGUE[category][min(index, PER_CATEGORY - 1)]

    def _session(self, at: float, *, order: bool) -> None:
        p, rng = self.person, self.rng
        self._emit(at, "Application Opened", {})
        views = max(1, round(rng.expovariate(1.0 / p.views_per_session)))
        carted: list[dict[str, Any]] = []
        for _ in range(min(views, 12)):
            at += rng.uniform(15, 120)
            product = self._product()
            self._emit(at, "Product Viewed", dict(product))
            if rng.random() < p.cart_rate:
                at += rng.uniform(5, 60)
                self._emit(at, "Product Added", dict(product))
                carted.append(product)
        if order:
            if not carted:
                at += rng.uniform(15, 90)
                carted.append(self._product())
                self._emit(at, "Product Added", dict(carted[0]))
            at += rng.uniform(30, 300)
            revenue = round(sum(item["price"] for item in carted), 2)
            order_id = f"{self.prefix}{len(self.out)}"
            products = [dict(item, quantity=1) for item in carted]
            self._emit(
                at,
                "Order Completed",
                {"order_id": order_id, "revenue": revenue, "currency": "EUR", "products": products},
            )

    def _emit(self, at: float, name: str, properties: dict[str, Any]) -> None:
        self.out.append(
            {
                "type": "track",
                "userId": self.person.user_id,
                "event": name,
                "properties": properties,
                "timestamp": datetime.fromtimestamp(at, UTC).isoformat(),
                "messageId": f"{self.prefix}{len(self.out)}",
                "_at": at,
            }
        )


def events_between(people: list[Person], seed: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Every event of ``people`` with ``start < timestamp <= end``, in time order (then by message id)."""
    lo, hi = start.timestamp(), end.timestamp()
    if hi <= lo:
        return []
    cache: dict[tuple[str, int], list[int]] = {}
    out: list[dict[str, Any]] = []
    for person in people:
        categories = list(itertools.accumulate(person.affinities[name] for name in CATEGORIES))
        for day in range(int(lo // DAY_S) - 1, int(hi // DAY_S) + 1):
            hours = _local_hours(person.timezone, day, cache)
            out.extend(e for e in _Slot(person, seed, day, hours, categories).run() if lo < e["_at"] <= hi)
    out.sort(key=lambda e: (e["_at"], e["messageId"]))
    for event in out:
        del event["_at"]
    return out
