"""Ingestion of Segment-spec messages: check each message, then store the acceptable ones in one transaction.

Partial acceptance, as Segment does it: a message the codec cannot store, or whose person was erased, is
refused (named by its index and field) and the others are stored; a bad contact field (an email, a phone, a
time zone) is dropped with a warning and the rest of its message kept. After the commit the engine is woken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.audience import consent
from app.audience.contact_fields import FieldError, fields_from_context, split_traits
from app.audience.segment_service import refresh_contacts
from app.core import wakeup
from app.core.context import AppContext
from app.privacy import gdpr
from app.tracking.intake import Intake
from app.tracking.payloads import Accepted, Alias, Group, Identify, Page, Screen, Track
from journeys import codec
from journeys.condition_inputs import ANYTHING
from journeys.errors import InvalidError
from storage import contacts as store

Message = Identify | Track | Page | Screen | Group | Alias
# Page and screen calls are stored as these events (Segment's destinations name them the same way).
VIEW_EVENTS = {"page": "Page Viewed", "screen": "Screen Viewed"}
_ID_TRAITS = frozenset({"userId", "anonymousId"})


class IngestError(InvalidError):
    """Per-message problems, and nothing was stored (every message was refused, or the batch's context)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(problems)} invalid message(s)")
        self.problems = problems


@dataclass
class Prepared:
    kind: str
    user_id: str | None = None
    anon_id: str | None = None
    columns: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    timestamp: datetime | None = None
    message_id: str | None = None
    event: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    previous_id: str | None = None
    contact_id: int | None = None
    index: int = 0


def _traits(
    message: Message, context: Mapping[str, Any], region: str, dropped: list[FieldError]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Columns and attributes from ``context.traits`` (where RudderStack sends identify traits) and, for an
    identify, ``traits``, which win."""
    columns: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    shared = context.get("traits")
    if isinstance(shared, Mapping) and shared:
        # RudderStack's mobile SDKs repeat the ids among the traits: they are not attributes.
        shared = {key: value for key, value in shared.items() if key not in _ID_TRAITS}
        columns, attributes = split_traits(shared, default_region=region, prefix="context.traits", dropped=dropped)
    if isinstance(message, Identify) and message.traits:
        own_columns, own_attributes = split_traits(message.traits, default_region=region, dropped=dropped)
        columns.update(own_columns)
        attributes.update(own_attributes)
    return columns, attributes


def _prepare(
    message: Message, batch_context: Mapping[str, Any] | None, region: str, now: datetime, dropped: list[FieldError]
) -> Prepared:
    if isinstance(message, Alias):
        return Prepared("alias", user_id=message.userId, previous_id=message.previousId)
    if batch_context and message.context:
        context = {**batch_context, **message.context}
    else:
        context = message.context or batch_context or {}
    columns = fields_from_context(context, dropped)
    attributes: dict[str, Any] = {}
    kind = message.type
    if isinstance(message, Identify) or (not isinstance(message, Group) and "traits" in context):
        traits_columns, attributes = _traits(message, context, region, dropped)
        columns.update(traits_columns)
    elif isinstance(message, Group):  # a profile update: the account on the contact
        kind, attributes = "identify", {"group_id": message.groupId, "group": message.traits}
    prepared = Prepared(
        kind,
        user_id=message.userId,
        anon_id=message.anonymousId,
        columns=columns,
        attributes=attributes,
        timestamp=message.timestamp or now,
        message_id=message.messageId,
    )
    if isinstance(message, Track):
        prepared.event, prepared.properties = message.event, message.properties
    elif isinstance(message, Page | Screen):  # views are events journeys can start on, like any track
        named = {"name": message.name, "category": message.category}
        prepared.kind, prepared.event = "track", VIEW_EVENTS[message.type]
        prepared.properties = {**message.properties, **{k: v for k, v in named.items() if v is not None}}
    return prepared


def check_message(message: Message) -> list[codec.Problem]:
    """What the JSON codec cannot store of one message (lone surrogates, NaN, huge integers, deep nesting,
    odd timestamps), each naming its field. One message at a time, so a batch could keep the others."""
    fields = message.__dict__
    if isinstance(message, Group):  # its traits are stored one level down, as the attribute ``group``
        rest = {name: value for name, value in fields.items() if name != "traits"}
        return codec.check_fields(rest) + codec.check(message.traits, "traits", depth=2)
    return codec.check_fields(fields)


def prepare_all(
    messages: Sequence[tuple[int, Message]],
    batch_context: Mapping[str, Any] | None,
    *,
    region: str,
    now: datetime,
    intake: Intake,
) -> list[Prepared]:
    """The storable messages; refusals and dropped fields go to ``intake``. Raises IngestError when the batch's
    shared context holds values the codec refuses (it would reach every message)."""
    checked = not intake.vouched
    if checked and batch_context and (shared := codec.check(batch_context, "context")):
        raise IngestError([{"index": None, "field": p.path, "message": p.message} for p in shared])
    prepared: list[Prepared] = []
    for index, message in messages:
        if checked and (found := check_message(message)):
            for problem in found:
                intake.refuse(index, problem.path, problem.message)
            continue
        dropped: list[FieldError] = []
        item = _prepare(message, batch_context, region, now, dropped)
        item.index = index
        prepared.append(item)
        for error in dropped:
            intake.warn(index, error.field, f"dropped: {error.message}")
    return prepared


def _claimable(session: Session, column: str, values: set[str]) -> dict[str, int]:
    """Contacts without an external id that a userId may claim (by anonymous id or email)."""
    col = store.CONTACTS.c[column]
    out: dict[str, int] = {}
    wanted = sorted(v for v in values if v)
    for start in range(0, len(wanted), store.CHUNK):
        query = select(col, store.CONTACTS.c.id).where(
            col.in_(wanted[start : start + store.CHUNK]),
            store.CONTACTS.c.external_id.is_(None),
            store.CONTACTS.c.merged_into_id.is_(None),
        )
        out.update({value: cid for value, cid in session.execute(query)})
    return out


def resolve_contacts(session: Session, items: list[Prepared], *, now: datetime) -> set[int]:
    """Set ``contact_id`` on every identify/track item, claiming or creating contacts as needed.

    Returns the ids of contacts created or claimed (given their user id) by this batch.
    """
    by_uid = store.ids_by(session, "external_id", {p.user_id for p in items if p.user_id})
    by_anon = store.ids_by(session, "anonymous_id", {p.anon_id for p in items if p.anon_id})
    free_anon = _claimable(session, "anonymous_id", {p.anon_id for p in items if p.user_id and p.user_id not in by_uid})
    emails = {p.columns.get("email") for p in items if p.user_id and p.user_id not in by_uid}
    free_email = _claimable(session, "email", {e for e in emails if e})
    pending: dict[tuple[str, str], dict[str, Any]] = {}
    claimed: set[int] = set()
    for p in items:
        if p.user_id:
            if p.user_id in by_uid:
                continue
            claim = free_anon.pop(p.anon_id or "", None) or free_email.pop(p.columns.get("email") or "", None)
            if claim is not None:
                store.set_external_id(session, contact_id=claim, external_id=p.user_id, now=now)
                by_uid[p.user_id] = claim
                claimed.add(claim)
            else:
                pending.setdefault(("u", p.user_id), {"external_id": p.user_id, "anonymous_id": p.anon_id})
        elif p.anon_id not in by_anon:
            pending.setdefault(("a", p.anon_id or ""), {"anonymous_id": p.anon_id})
    new_ids = store.insert_contacts(session, list(pending.values()), now=now)
    for (kind, value), cid in zip(pending, new_ids, strict=True):
        (by_uid if kind == "u" else by_anon)[value] = cid
    for p in items:
        p.contact_id = by_uid[p.user_id] if p.user_id else by_anon[p.anon_id or ""]
    return set(new_ids) | claimed


def apply_profiles(session: Session, items: list[Prepared], *, now: datetime) -> set[int]:
    """Merge traits, context fields and seen times into the touched contacts; returns their ids.

    Contacts with an identify in the batch are loaded and rewritten whole (attributes merge in Python);
    contacts that only tracked get one light UPDATE each (seen times, context columns), in one executemany.
    """
    full_ids = {p.contact_id for p in items if p.kind == "identify" or p.attributes}
    touched = _rewrite_profiles(session, [p for p in items if p.contact_id in full_ids], now=now)
    light: dict[int, dict[str, Any]] = {}
    for p in items:
        if p.contact_id in full_ids or p.contact_id is None:
            continue
        seen = p.timestamp or now
        entry = light.setdefault(p.contact_id, {"first": seen, "last": seen, "columns": {}})
        entry["first"], entry["last"] = min(entry["first"], seen), max(entry["last"], seen)
        entry["columns"].update(p.columns)
    store.touch_contacts(session, light, now=now)
    return touched | set(light)


def _rewrite_profiles(session: Session, items: list[Prepared], *, now: datetime) -> set[int]:
    profiles = store.load_profiles(session, {p.contact_id for p in items if p.contact_id})
    before = {cid: dict(profile) for cid, profile in profiles.items()}
    for p in items:
        profile = profiles[p.contact_id]  # type: ignore[index]
        for key, value in p.columns.items():
            profile[key] = {**(profile.get(key) or {}), **value} if key == "consent" else value
        if p.attributes:
            merged = dict(profile.get("attributes") or {})
            for key, value in p.attributes.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            profile["attributes"] = merged
        seen = p.timestamp or now
        if profile.get("first_seen_at") is None or seen < profile["first_seen_at"]:
            profile["first_seen_at"] = seen
        if profile.get("last_seen_at") is None or seen > profile["last_seen_at"]:
            profile["last_seen_at"] = seen
    changed = {cid: profile for cid, profile in profiles.items() if profile != before[cid]}
    store.save_profiles(session, changed, now=now)
    consent.log_changes(session, before, changed, source="api", actor="tracking api", now=now)
    return set(profiles)


def store_events(session: Session, items: list[Prepared], *, now: datetime) -> tuple[int, int]:
    """Insert track events, skipping messageIds already stored or repeated in the batch."""
    seen = store.existing_message_ids(session, {p.message_id for p in items if p.message_id})
    rows = []
    duplicates = 0
    for p in items:
        if p.kind != "track":
            continue
        if p.message_id and p.message_id in seen:
            duplicates += 1
            continue
        if p.message_id:
            seen.add(p.message_id)
        rows.append(
            {
                "contact_id": p.contact_id,
                "name": p.event,
                "properties": p.properties,
                "timestamp": p.timestamp or now,
                "message_id": p.message_id,
                "received_at": now,
            }
        )
    store.insert_events(session, rows)
    return len(rows), duplicates


def apply_alias(session: Session, p: Prepared, *, now: datetime) -> int:
    """Merge ``previousId``'s contact into ``userId``'s; returns the surviving contact id."""
    previous = store.ids_by(session, "external_id", [p.previous_id or ""]).get(p.previous_id or "")
    if previous is None:
        previous = store.ids_by(session, "anonymous_id", [p.previous_id or ""]).get(p.previous_id or "")
    target = store.ids_by(session, "external_id", [p.user_id or ""]).get(p.user_id or "")
    if target is None and previous is not None and p.user_id:
        if not _claimable_id(session, previous):
            return store.insert_contacts(session, [{"external_id": p.user_id}], now=now)[0]
        store.set_external_id(session, contact_id=previous, external_id=p.user_id, now=now)
        return previous
    if target is None:
        return store.insert_contacts(session, [{"external_id": p.user_id, "anonymous_id": p.previous_id}], now=now)[0]
    if previous is not None and previous != target:
        store.merge_contacts(session, source_id=previous, target_id=target, now=now)
    return target


def _claimable_id(session: Session, contact_id: int) -> bool:
    row = session.execute(select(store.CONTACTS.c.external_id).where(store.CONTACTS.c.id == contact_id)).first()
    return row is not None and row[0] is None


def changed_data(items: Sequence[Prepared]) -> set[str]:
    """What a batch may change about its contacts, in journeys/condition_inputs.py's vocabulary."""
    changed: set[str] = set()
    for p in items:
        if p.kind == "alias":
            return {ANYTHING}  # a merge moves events, attributes and columns
        changed.update(p.columns)
        changed.update(("first_seen_at", "last_seen_at"))
        if p.attributes:
            changed.add("attributes")
        if p.kind == "track":
            changed.add("events")
    return changed


def _refuse_erased(ctx: AppContext, session: Session, prepared: list[Prepared], intake: Intake) -> list[Prepared]:
    """``prepared`` without the messages of erased people (refused in ``intake``)."""
    problems = gdpr.refuse_erased(ctx, session, prepared)
    if not problems:
        return prepared
    refused = {problem["index"] for problem in problems}
    for problem in problems:
        intake.refuse(prepared[problem["index"]].index, problem["field"], problem["message"])
    return [p for position, p in enumerate(prepared) if position not in refused]


def ingest(
    ctx: AppContext,
    messages: Sequence[Message] = (),
    *,
    batch_context: Mapping[str, Any] | None = None,
    intake: Intake | None = None,
    within: Callable[[Session], None] | None = None,
) -> Accepted:
    """Store the acceptable messages, refresh segment memberships, then wake the engine.

    ``intake`` (from app/tracking/intake.py) carries indexed messages and earlier warnings; without it
    ``messages`` are indexed in order. Raises IngestError when no message could be stored and some were refused.
    ``within`` writes more in the same transaction (a CRM sync's position advances with the contacts it read).
    """
    now = ctx.clock.now()
    intake = intake or Intake(messages=list(enumerate(messages)))
    prepared = prepare_all(intake.messages, batch_context, region=ctx.settings.default_region, now=now, intake=intake)
    with ctx.db.write_session() as session:
        prepared = _refuse_erased(ctx, session, prepared, intake)
        if not prepared and intake.refused:
            raise IngestError(sorted(intake.refused, key=_by_index))
        people = [p for p in prepared if p.kind != "alias"]
        created = resolve_contacts(session, people, now=now)
        touched = apply_profiles(session, people, now=now)
        stored, duplicates = store_events(session, people, now=now)
        for p in prepared:
            if p.kind == "alias":
                touched.add(apply_alias(session, p, now=now))
        refresh = refresh_contacts(
            session, contact_ids=touched, ctx=ctx, changed=changed_data(prepared), created=created
        )
        if within is not None:
            within(session)
    if stored or refresh.entered or touched:
        wakeup.events_arrived()
    return Accepted(
        stored=stored,
        duplicates=duplicates,
        contacts=len(touched),
        warnings=sorted(intake.warnings, key=_by_index),
        refused=sorted(intake.refused, key=_by_index),
    )


def _by_index(problem: dict[str, Any]) -> int:
    return -1 if problem["index"] is None else problem["index"]
