"""A seeded shop population with hidden product affinities, for measuring recommendations.

Each simulated contact likes one or two product categories (the hidden truth). They come back in sessions:
each session views a few products, mostly from the liked categories and otherwise from anywhere, the more
popular products of a category more often; some viewed products are put in the cart and some carts are bought.
Pure and deterministic: the same seed gives the same shop, contacts and events.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.simulation.population import SimEvent
from journeys import recommend

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CATEGORIES = ["Shoes", "Bags", "Coats", "Watches", "Lamps", "Mugs", "Books", "Games", "Plants", "Tea", "Socks", "Hats"]


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    price: float
    category: int
    popularity: float

    def properties(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "name": self.name,
            "price": self.price,
            "currency": "EUR",
            "url": f"https://shop.example/p/{self.product_id}",
            "image_url": f"https://shop.example/img/{self.product_id}.jpg",
        }


@dataclass(frozen=True)
class ShopEvent(SimEvent):
    """A simulated shop event (a Segment ``track`` call through ``segment()``) and the visit it belongs to."""

    session: int = 0


def _event(at: datetime, user_id: str, name: str, properties: dict[str, Any], session: int) -> ShopEvent:
    message_id = f"shop-{user_id}-{session}-{name}-{at.timestamp():.0f}"
    return ShopEvent(at, user_id, name, properties, message_id, session)


@dataclass(frozen=True)
class Shopper:
    user_id: str
    liked: tuple[int, ...]  # the hidden affinities: categories this contact mostly shops in


@dataclass(frozen=True)
class Behaviour:
    products_per_category: int = 12
    sessions: tuple[int, int] = (3, 10)
    views_per_session: tuple[int, int] = (1, 4)
    affinity: float = 0.85  # chance that a session stays in the contact's liked categories
    cart_after_view: float = 0.3
    order_after_cart: float = 0.6


@dataclass
class Shop:
    products: list[Product]
    shoppers: list[Shopper]
    events: list[ShopEvent] = field(default_factory=list)


def catalogue(rng: random.Random, behaviour: Behaviour) -> list[Product]:
    products = []
    for category, label in enumerate(CATEGORIES):
        for rank in range(behaviour.products_per_category):
            number = category * behaviour.products_per_category + rank + 1
            price = round(rng.uniform(5, 200), 2)
            products.append(Product(f"sku-{number:04d}", f"{label} #{rank + 1}", price, category, 1 / (rank + 1)))
    return products


def simulate(contacts: int, *, seed: int = 16, behaviour: Behaviour | None = None) -> Shop:
    """The shop's products, its shoppers (with their hidden affinities) and their events, oldest first."""
    behaviour = behaviour or Behaviour()
    rng = random.Random(seed)
    products = catalogue(rng, behaviour)
    by_category: dict[int, list[Product]] = {}
    for product in products:
        by_category.setdefault(product.category, []).append(product)
    shop = Shop(products, [])
    for number in range(contacts):
        liked = tuple(rng.sample(range(len(CATEGORIES)), rng.choice((1, 1, 2))))
        shopper = Shopper(f"shopper-{number:06d}", liked)
        shop.shoppers.append(shopper)
        at = START + timedelta(minutes=rng.randrange(0, 7 * 24 * 60))
        for session in range(rng.randint(*behaviour.sessions)):
            shop.events.extend(_session(rng, shopper, session, at, by_category, behaviour))
            at += timedelta(hours=rng.randint(6, 96))
    shop.events.sort(key=lambda e: (e.at, e.user_id))
    return shop


def _session(
    rng: random.Random,
    shopper: Shopper,
    session: int,
    at: datetime,
    by_category: dict[int, list[Product]],
    behaviour: Behaviour,
) -> list[ShopEvent]:
    in_liked = rng.random() < behaviour.affinity
    category = rng.choice(shopper.liked) if in_liked else rng.randrange(len(CATEGORIES))
    shelf = by_category[category]
    out: list[ShopEvent] = []
    bought: list[Product] = []
    for _ in range(rng.randint(*behaviour.views_per_session)):
        product = rng.choices(shelf, weights=[p.popularity for p in shelf])[0]
        at += timedelta(minutes=rng.randint(1, 5))
        out.append(_event(at, shopper.user_id, "Product Viewed", product.properties(), session))
        if rng.random() < behaviour.cart_after_view:
            at += timedelta(minutes=1)
            out.append(_event(at, shopper.user_id, "Product Added", product.properties(), session))
            if rng.random() < behaviour.order_after_cart and product not in bought:
                bought.append(product)
    if bought:
        lines = [{**p.properties(), "quantity": 1} for p in bought]
        order = {
            "order_id": f"{shopper.user_id}-{session}",
            "revenue": round(sum(p.price for p in bought), 2),
            "currency": "EUR",
            "products": lines,
        }
        out.append(_event(at + timedelta(minutes=3), shopper.user_id, "Order Completed", order, session))
    return out


def holdout(shop: Shop) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Training interactions and, per contact, the held-out product of their last order.

    A contact's last session with an order is removed whole (its views and cart too), with anything after it,
    so the recommender never sees the held-out purchase coming; contacts who never ordered keep everything.
    """
    last_order: dict[str, int] = {}
    for event in shop.events:
        if event.event == "Order Completed":
            last_order[event.user_id] = event.session
    held: dict[str, str] = {}
    train: list[tuple[str, str, str]] = []
    for event in shop.events:
        cut = last_order.get(event.user_id)
        if cut is not None and event.session >= cut:
            if event.event == "Order Completed" and event.session == cut:
                held[event.user_id] = event.properties["products"][-1]["product_id"]
            continue
        train.extend(
            (event.user_id, pid, kind) for pid, kind in recommend.event_products(event.event, event.properties)
        )
    return train, held


def evaluate(contacts: int, *, seed: int = 16, n: int = 3) -> dict[str, float]:
    """Hit rate at ``n`` of the co-occurrence recommender and of the popularity baseline on held-out orders.

    Only contacts with some history before their last order are scored (a cold contact gets the popularity
    list from both, which says nothing about the recommender).
    """
    train, held = holdout(simulate(contacts, seed=seed))
    by_contact = recommend.profiles(train)
    model = recommend.train(by_contact)
    cases = [(by_contact[user], product) for user, product in held.items() if user in by_contact]
    return {
        "cases": len(cases),
        "hit_rate": recommend.hit_rate(model, cases, n),
        "popularity_hit_rate": recommend.hit_rate(model, cases, n, baseline=True),
    }
