"""Realistic sample contacts and events for the demo workspace (pure generation, seeded, no I/O)."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

FIRST_NAMES_FR = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Emma",
    "Alice",
    "Sarah",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Nathan",
    "Théo",
    "Raphaël",
    "Paul",
]
FIRST_NAMES_EN = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Grace",
    "Oliver",
    "George",
    "Harry",
    "Noah",
    "Jack",
    "Emily",
    "James",
    "Sophie",
    "William",
    "Charlotte",
    "Thomas",
]
LAST_NAMES_FR = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Fontaine",
    "Rousseau",
    "Chevalier",
]
LAST_NAMES_EN = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Evans",
    "Walker",
    "Wright",
    "Thompson",
    "Hughes",
    "Green",
]
# Reserved for documentation (RFC 2606): demo emails can never reach a real inbox.
DOMAINS = ["example.com", "example.org", "example.net"]
# (city, latitude, longitude, time zone, airport)
PLACES = [
    ("Paris", 48.8566, 2.3522, "Europe/Paris", "CDG"),
    ("Boulogne-Billancourt", 48.8397, 2.2399, "Europe/Paris", "ORY"),
    ("Saint-Denis", 48.9362, 2.3574, "Europe/Paris", "CDG"),
    ("Lyon", 45.7640, 4.8357, "Europe/Paris", "LYS"),
    ("Villeurbanne", 45.7719, 4.8902, "Europe/Paris", "LYS"),
    ("Vénissieux", 45.6975, 4.8867, "Europe/Paris", "LYS"),
]
ABROAD_ZONES = ["Europe/London", "America/Montreal", "Europe/Brussels"]
DESTINATIONS = ["Lisbonne", "New York", "Marrakech", "Rome", "Barcelone", "Montréal", "Athènes", "Tokyo"]
TRIP_TYPES = ["city", "beach", "ski", "business"]
PLATFORMS = [("ios", "iPhone 15"), ("android", "Pixel 8"), ("android", "Galaxy S24"), ("web", "Chrome")]
EVENT_NAMES = [
    "app_opened",
    "Product Viewed",
    "Checkout Started",
    "Order Completed",
    "trip_booked",
    "payment_completed",
    "feature_used",
    "location_updated",
    "signed_up",
]
EVENT_WEIGHTS = [30, 25, 8, 6, 5, 5, 10, 8, 3]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _phone(rng: random.Random, french: bool) -> str:
    """An E.164 mobile number from the ranges reserved for fiction (ARCEP 06 39 98, Ofcom 07700 900), so a
    demo workspace wired to a real SMS provider can never text a real person."""
    if french:
        return f"+3363998{rng.randrange(10**4):04d}"
    return f"+447700900{rng.randrange(10**3):03d}"


def _consent(rng: random.Random, has_push_token: bool) -> dict[str, str]:
    """Push follows the app's push token (the phone's permission is the consent); email and SMS are recorded
    opt-ins at realistic shares; everyone sees in-app messages."""
    shares = {"push": 0.9 if has_push_token else 0.0, "sms": 0.7, "email": 0.85, "in_app": 1.0}
    return {channel: ("subscribed" if rng.random() < share else "unsubscribed") for channel, share in shares.items()}


def consent_history(ids: list[int], rows: list[dict[str, Any]], now: datetime, *, actor: str) -> list[dict[str, Any]]:
    """The recorded opt-ins behind the demo contacts' consent (ids and rows in the same order), by ``actor``."""
    return [
        {
            "contact_id": contact_id,
            "channel": channel,
            "status": status,
            "source": "import",
            "actor": actor,
            "at": row["first_seen_at"],
        }
        for contact_id, row in zip(ids, rows, strict=True)
        for channel, status in row["consent"].items()
        if status == "subscribed"
    ]


def contact_row(index: int, rng: random.Random, now: datetime) -> dict[str, Any]:
    """One contact as a dict of Contact columns (ready for a bulk insert)."""
    french = rng.random() < 0.8
    first = rng.choice(FIRST_NAMES_FR if french else FIRST_NAMES_EN)
    last = rng.choice(LAST_NAMES_FR if french else LAST_NAMES_EN)
    city, lat, lon, zone, airport = rng.choice(PLACES)
    if not french and rng.random() < 0.5:
        zone = rng.choice(ABROAD_ZONES)
    platform, device = rng.choice(PLATFORMS)
    push_id = f"demo-push-{index:05d}" if platform != "web" else None
    birthday = date(rng.randint(1955, 2005), rng.randint(1, 12), rng.randint(1, 28))
    departure = (now + timedelta(days=rng.randint(-30, 120))).date()
    first_seen = now - timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1440))
    attributes = {
        "first_name": first,
        "last_name": last,
        "birthday": birthday.isoformat(),
        "departure_date": departure.isoformat(),
        "destination": rng.choice(DESTINATIONS),
        "home_airport": airport,
        "city": city,
        "last_trip_type": rng.choice(TRIP_TYPES),
        "loyalty_tier": rng.choice(["bronze", "silver", "gold"]),
        "onboarded": rng.random() < 0.7,
    }
    return {
        "external_id": f"demo-{index:05d}",
        "email": f"{_ascii(first)}.{_ascii(last)}{index}@{rng.choice(DOMAINS)}",
        "phone": _phone(rng, french),
        "push_id": push_id,
        "time_zone": zone,
        "locale": "fr-FR" if french else "en-GB",
        "attributes": attributes,
        "consent": _consent(rng, push_id is not None),
        "platform": platform,
        "device": device,
        "lat": round(lat + rng.uniform(-0.05, 0.05), 5),
        "lon": round(lon + rng.uniform(-0.07, 0.07), 5),
        "first_seen_at": first_seen,
        "last_seen_at": now - timedelta(minutes=rng.randint(0, 60 * 24 * 14)),
        "created_at": first_seen,
        "updated_at": now,
    }


def event_row(contact_id: int, rng: random.Random, at: datetime) -> dict[str, Any]:
    """One event as a dict of Event columns."""
    name = rng.choices(EVENT_NAMES, weights=EVENT_WEIGHTS)[0]
    properties: dict[str, Any] = {"source": "demo"}
    if name in {"Checkout Started", "Order Completed"}:  # Segment's e-commerce spec: docs/ECOMMERCE.md
        properties |= {"revenue": round(rng.uniform(15, 400), 2), "currency": "EUR", "items": rng.randint(1, 5)}
    elif name == "trip_booked":
        properties |= {"destination": rng.choice(DESTINATIONS), "trip_type": rng.choice(TRIP_TYPES)}
    elif name == "Product Viewed":
        properties |= {"sku": f"SKU-{rng.randint(1000, 9999)}"}
    elif name == "location_updated":
        city, lat, lon, _zone, _airport = rng.choice(PLACES)
        properties |= {"city": city, "lat": lat, "lon": lon}
    return {"contact_id": contact_id, "name": name, "properties": properties, "timestamp": at, "received_at": at}
