"""Product recommendations from item co-occurrence: pure scoring, no storage.

Each contact's history is reduced to one weight per product, the strongest thing they did with it (a purchase
outweighs a cart addition, which outweighs a view). Two products co-occur when one contact touched both; the
pair's strength is the product of the two weights, summed over contacts and normalised by how popular each
product is (a cosine), so a best-seller does not follow everything. A contact's candidates are scored by their
own weights times those strengths; what they already bought is never offered; when they have no history (or
too little to fill the list) the most popular products fill the remaining places.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

VIEW, CART, PURCHASE = "view", "cart", "purchase"
WEIGHTS = {VIEW: 1.0, CART: 3.0, PURCHASE: 5.0}
# The e-commerce spec's event names (docs/ECOMMERCE.md) and what each one means for the scoring.
EVENT_KINDS = {"Product Viewed": VIEW, "Product Added": CART, "Order Completed": PURCHASE}
# Only a contact's most weighted products count towards co-occurrence: a pair loop over thousands of products
# touched by one bot would otherwise be quadratic.
MAX_ITEMS_PER_CONTACT = 60
MAX_NEIGHBOURS = 50
# Products kept per contact, and the most a message can show.
LIST_SIZE = 10


@dataclass
class Profile:
    """One contact's products: the strongest weight per product, and the products bought."""

    weights: dict[str, float] = field(default_factory=dict)
    bought: set[str] = field(default_factory=set)

    def add(self, product_id: str, kind: str) -> None:
        weight = WEIGHTS[kind]
        if weight > self.weights.get(product_id, 0.0):
            self.weights[product_id] = weight
        if kind == PURCHASE:
            self.bought.add(product_id)

    def strongest(self) -> list[tuple[str, float]]:
        ranked = sorted(self.weights.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:MAX_ITEMS_PER_CONTACT]


def profiles(interactions: Iterable[tuple[object, str, str]]) -> dict[object, Profile]:
    """(contact, product_id, kind) triples grouped per contact; unknown kinds and empty ids are ignored."""
    out: dict[object, Profile] = {}
    for contact, product_id, kind in interactions:
        if kind in WEIGHTS and product_id:
            out.setdefault(contact, Profile()).add(str(product_id), kind)
    return out


@dataclass
class Model:
    """Neighbours of each product with their similarity, and products by popularity (best first)."""

    neighbours: dict[str, list[tuple[str, float]]]
    popular: list[str]

    def recommend(self, profile: Profile | None, n: int) -> list[str]:
        """The ``n`` products this contact is most likely to want, none of those already bought."""
        profile = profile or Profile()
        scores: dict[str, float] = defaultdict(float)
        for product_id, weight in profile.strongest():
            for other, similarity in self.neighbours.get(product_id, ()):
                if other not in profile.bought:
                    scores[other] += weight * similarity
        ranked = [p for p, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))][:n]
        return _fill(ranked, self.popular, profile.bought, n)

    def popular_for(self, profile: Profile | None, n: int) -> list[str]:
        """The popularity baseline: the best-sellers this contact has not bought."""
        return _fill([], self.popular, profile.bought if profile else set(), n)


def _fill(ranked: list[str], popular: list[str], bought: set[str], n: int) -> list[str]:
    chosen = set(ranked)
    for product_id in popular:
        if len(ranked) >= n:
            break
        if product_id not in bought and product_id not in chosen:
            ranked.append(product_id)
            chosen.add(product_id)
    return ranked


def train(by_contact: Mapping[object, Profile]) -> Model:
    """Co-occurrence similarities and popularity from every contact's profile."""
    totals: dict[str, float] = defaultdict(float)
    pairs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for profile in by_contact.values():
        items = profile.strongest()
        for product_id, weight in items:
            totals[product_id] += weight
        for i, (a, wa) in enumerate(items):
            for b, wb in items[i + 1 :]:
                pairs[a][b] += wa * wb
                pairs[b][a] += wa * wb
    neighbours: dict[str, list[tuple[str, float]]] = {}
    for a, row in pairs.items():
        scored = [(b, value / math.sqrt(totals[a] * totals[b])) for b, value in row.items()]
        scored.sort(key=lambda item: (-item[1], item[0]))
        neighbours[a] = scored[:MAX_NEIGHBOURS]
    popular = [p for p, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
    return Model(neighbours, popular)


def hit_rate(model: Model, cases: Iterable[tuple[Profile, str]], n: int, *, baseline: bool = False) -> float:
    """Share of (history, held-out product) cases whose product is among the ``n`` offered."""
    hits = total = 0
    for profile, held_out in cases:
        offered = model.popular_for(profile, n) if baseline else model.recommend(profile, n)
        hits += held_out in offered
        total += 1
    return hits / total if total else 0.0


def event_products(name: str, properties: Mapping[str, object]) -> list[tuple[str, str]]:
    """(product_id, kind) pairs an e-commerce event stands for; none for other events or unusable ids."""
    kind = EVENT_KINDS.get(name)
    if kind is None or not isinstance(properties, Mapping):
        return []
    lines = properties.get("products") if kind == PURCHASE else [properties]
    if not isinstance(lines, list):
        return []
    out = []
    for line in lines[:200]:
        product_id = line.get("product_id") if isinstance(line, Mapping) else None
        if isinstance(product_id, str | int) and not isinstance(product_id, bool) and str(product_id).strip():
            out.append((str(product_id).strip()[:200], kind))
    return out
