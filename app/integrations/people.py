"""The person a shop webhook is about, and the Segment messages that carry it into ingestion."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.audience.contact_fields import FieldError, normalize_email, normalize_phone
from app.core.context import AppContext
from app.privacy import gdpr
from app.tracking.payloads import Identify, Track
from journeys.errors import InvalidError
from storage import integrations as store


class ShopError(InvalidError):
    """A payload that cannot be used: answered 400 naming ``field``; nothing is stored."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Ignored(Exception):
    """A delivery acknowledged (200) without storing anything, for the reason given (logged)."""


@dataclass
class Person:
    """What a shop knows of someone. ``source_id`` is the shop's customer id as an external id
    (``shopify:123``); traits are stored as contact attributes (``consent`` as the contact's consent)."""

    integration: str
    source_id: str | None = None
    email: str | None = None
    phone: str | None = None
    traits: dict[str, Any] = field(default_factory=dict)
    bad: FieldError | None = None

    def known(self) -> bool:
        return bool(self.source_id or self.email or self.phone)


def text(value: Any) -> str | None:
    """A non-empty string from a payload value (ids arrive as numbers), else None."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    value = str(value).strip()
    return value or None


def obj(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A nested object of a payload, {} when absent (PHP encodes an empty one as ``[]``)."""
    value = data.get(key)
    if value is None or value == []:
        return {}
    if not isinstance(value, Mapping):
        raise ShopError(key, "must be an object")
    return value


def currency(data: Mapping[str, Any], key: str = "currency") -> str:
    code = text(data.get(key))
    if not code or len(code) != 3 or not code.isalpha():
        raise ShopError(key, "required: a three-letter code such as EUR")
    return code.upper()


def amount(data: Mapping[str, Any], key: str, *, where: str = "", required: bool = False) -> float | None:
    """A money amount: shops send decimal strings (``"199.00"``); a bad one is refused naming its field."""
    value = data.get(key)
    name = f"{where}.{key}" if where else key
    if value is None or value == "":
        if required:
            raise ShopError(name, "required")
        return None
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or number != number or abs(number) > 1e12:
        raise ShopError(name, f"not an amount: {str(value)[:40]!r}")
    return round(number, 2)


def person(integration: str, *, customer_id: Any, email: Any, phone: Any, region: str) -> Person:
    """A Person with a normalised email and phone. A malformed email or phone is left out (with the others the
    person is still known); with nothing else to go on it is refused by ``require``."""
    found = Person(integration)
    cid = text(customer_id)
    if cid and len(cid) > 100:
        raise ShopError("customer.id", "longer than 100 characters")
    if cid and cid != "0":  # WooCommerce names guests customer 0
        found.source_id = f"{integration}:{cid}"
        found.traits[f"{integration}_customer_id"] = cid
    found.email = _normalised(found, normalize_email, email)
    found.phone = _normalised(found, lambda value, name: normalize_phone(value, region, name), phone, "phone")
    return found


def _normalised(found: Person, normalise: Any, value: Any, name: str = "email") -> str | None:
    if not text(value):
        return None
    try:
        return normalise(value, name)
    except FieldError as exc:
        found.bad = found.bad or exc
        return None


def require(who: Person, where: str) -> None:
    """Refuse a payload naming nobody: no customer id, no usable email, no usable phone."""
    if who.known():
        return
    if who.bad is not None:
        raise ShopError(who.bad.field, who.bad.message)
    raise ShopError(where, "an email, a phone or a customer id is required")


def identity(ctx: AppContext, who: Person) -> tuple[str | None, str | None]:
    """(userId, anonymousId) for the messages: the contact the shop names if we know it (by the shop's id, then
    email, then phone), else the shop's id, else a stable guest id from the email or phone."""
    with ctx.db.session() as session:
        return identity_in(ctx, session, who)


def identity_in(ctx: AppContext, session: Session, who: Person) -> tuple[str | None, str | None]:
    """``identity`` inside an open transaction."""
    (found,) = identities_in(ctx, session, [who])
    if isinstance(found, Ignored):
        raise found
    return found


def identities_in(
    ctx: AppContext, session: Session, persons: list[Person]
) -> list[tuple[str | None, str | None] | Ignored]:
    """``identity`` of each person, looked up together (a CRM page names a hundred); Ignored for an erased one."""
    rows = store.find_people(
        session,
        external_ids=[p.source_id for p in persons],
        emails=[p.email for p in persons],
        phones=[p.phone for p in persons],
    )
    named = [store.pick_person(rows, external_id=p.source_id, email=p.email, phone=p.phone) for p in persons]
    unknown = [p for p, row in zip(persons, named, strict=True) if row is None]
    erased = gdpr.blocked_among(
        ctx, session, [{"email": p.email, "phone": p.phone, "external_id": p.source_id} for p in unknown]
    )
    blocked = {id(p) for p, gone in zip(unknown, erased, strict=True) if gone}
    # Answered 200 to a shop: it would retry a refusal for days, and this person asked to be forgotten.
    return [
        Ignored("ignored: this person was erased") if id(p) in blocked else _identity(p, row)
        for p, row in zip(persons, named, strict=True)
    ]


def _identity(who: Person, row: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if row is not None and row["external_id"]:
        return row["external_id"], None
    if row is not None and row["anonymous_id"]:
        # A guest of an earlier checkout: given the shop's customer id now, ingestion claims that contact.
        return who.source_id, row["anonymous_id"]
    if who.source_id:
        return who.source_id, None
    digest = hashlib.sha256(f"{who.email or ''}|{who.phone or ''}".encode()).hexdigest()[:32]
    return None, f"{who.integration}-guest:{digest}"


def messages(
    ctx: AppContext, who: Person, event: str | None = None, properties: dict[str, Any] | None = None, *, key: str = ""
) -> list[Identify | Track]:
    """An identify with the person's fields, then (when ``event``) a track whose messageId is ``key``."""
    user_id, anonymous_id = identity(ctx, who)
    traits = dict(who.traits)
    if who.email:
        traits["email"] = who.email
    if who.phone:
        traits["phone"] = who.phone
    out: list[Identify | Track] = [Identify(userId=user_id, anonymousId=anonymous_id, traits=traits)]
    if event:
        track = Track(userId=user_id, anonymousId=anonymous_id, event=event, properties=properties or {})
        track.messageId = key[:200] or None
        out.append(track)
    return out


def track_for(buyer: Mapping[str, Any], event: str, properties: dict[str, Any], *, key: str) -> Track | None:
    """A track for a contact already stored (its ``external_id`` / ``anonymous_id``), or None without ids."""
    user_id, anonymous_id = buyer.get("external_id"), buyer.get("anonymous_id")
    if not user_id and not anonymous_id:
        return None
    track = Track(userId=user_id, anonymousId=None if user_id else anonymous_id, event=event, properties=properties)
    track.messageId = key[:200]
    return track
