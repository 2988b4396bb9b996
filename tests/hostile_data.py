"""A database full of hostile text: every field a user, an app or a provider can write holds a script payload.

Each payload sets ``window.__xss`` to its number and opens an alert when it runs, so a browser test can tell
which one escaped. Used by the stored-XSS browser tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import insert

from app.access import api_keys as api_key_service
from app.access import audit
from app.audience import segment_service
from app.authoring import service as journey_service
from app.core.context import AppContext
from app.engine.engine import Engine
from storage.models import Contact, Event
from tests.auth_helpers import create_account
from tests.conftest import load_template_dict

# Break-outs of quoted props (NiceGUI parses props strings), Vue interpolation, HTML and URL payloads.
CATALOGUE = [
    'x" onmouseover="window.__xss=1;alert(1)" y="',
    "x :title=window.__xss=2 \\",
    "{{constructor.constructor('window.__xss=3;alert(3)')()}}",
    "</script><script>window.__xss=4;alert(4)</script>",
    "javascript:window.__xss=5;alert(5)",
    '<img src=x onerror="window.__xss=6;alert(6)">',
    '<svg onload="window.__xss=7;alert(7)">',
    "x\\",
]
# Elements a payload would create if it were parsed as HTML.
INJECTED = "img[src=x], svg[onload], script:not([src]):has-text('__xss')"


def payload(i: int) -> str:
    return CATALOGUE[i % len(CATALOGUE)]


@dataclass
class Hostile:
    journeys: list[int] = field(default_factory=list)
    contacts: list[int] = field(default_factory=list)
    write_key: str = ""


def _journey(i: int) -> dict[str, Any]:
    """The flight-delay journey with hostile names in every node, its name and its message."""
    doc = load_template_dict("flight_delay") | {"name": payload(i), "description": payload(i + 1)}
    names = iter(range(i, i + len(doc["nodes"])))
    for node in doc["nodes"]:
        node["name"] = payload(next(names))
    entry, push = doc["nodes"][0], doc["nodes"][1]
    entry["config"]["event"] = f"evt {payload(i)}"
    # Liquid only pulls the hostile text in at send time, so the template itself stays valid.
    push["config"] |= {"title": "{{ event.note }}", "body": "{{ contact.note }}", "url": payload(4)}
    return doc


def _contacts(ctx: AppContext) -> list[int]:
    now = ctx.clock.now()
    rows = [
        {
            "external_id": f"{p} #{i}",
            "email": f"{p}@example.com",
            "phone": None,
            "attributes": {"first_name": p, "note": p, "website": payload(4), p: p},
            "consent": {"push": "subscribed", "email": "subscribed", "sms": "subscribed"},
            "created_at": now,
            "updated_at": now,
        }
        for i, p in enumerate(CATALOGUE)
    ]
    with ctx.db.engine.begin() as conn:
        result = conn.execute(insert(Contact.__table__).returning(Contact.__table__.c.id), rows)
        return [r[0] for r in result]


def _events(ctx: AppContext, contact_ids: list[int]) -> None:
    now = ctx.clock.now()
    rows = [
        {
            "contact_id": cid,
            "name": f"evt {payload(j)}",
            "properties": {"note": payload(j + i), payload(j + i + 1): payload(j + i + 2)},
            "timestamp": now - timedelta(seconds=1),
            "received_at": now - timedelta(seconds=1),
        }
        for i, cid in enumerate(contact_ids)
        for j in range(len(CATALOGUE))
    ]
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Event.__table__), rows)


def seed(ctx: AppContext) -> Hostile:
    """Accounts, journeys (live, with entries and queued messages), segments, contacts, events, audit rows."""
    create_account(ctx, "admin", "root@example.com", payload(5))
    create_account(ctx, "viewer", "eve@example.com", payload(1))
    create_account(ctx, "marketer", "mark@example.com", payload(2))
    hostile = Hostile()
    for i in range(len(CATALOGUE)):
        journey_id = journey_service.import_journey(ctx, json.dumps(_journey(i)))
        journey_service.publish(ctx, journey_id)
        hostile.journeys.append(journey_id)
    hostile.contacts = _contacts(ctx)
    _events(ctx, hostile.contacts)
    Engine(ctx).run()
    for i, p in enumerate(CATALOGUE):
        # Condition paths refuse quotes and backslashes; those payloads go in the value instead.
        attribute = "note" if '"' in p or "\\" in p else p
        condition = {"kind": "attribute", "attribute": attribute, "op": "eq", "value": payload(i + 1)}
        segment_service.save_segment(ctx, name=f"{p} {i}", condition=condition)
        audit.record(ctx, p, "journey.publish", payload(i + 1), {"note": payload(i + 2)})
    hostile.write_key = api_key_service.create(ctx, payload(3), actor="seed")[1]
    return hostile


def send_calls(base_url: str, write_key: str) -> None:
    """Tracking calls to a running server with hostile event names, user ids and types (refused, and quoted in
    the refusal), so the live debugger holds them."""
    batch = [
        {"type": "track", "userId": p, "event": p, "properties": {p: p}}
        | ({"timestamp": p} if i % 2 else {})  # a dropped field: a warning
        for i, p in enumerate(CATALOGUE)
    ]
    batch += [{"type": p, "userId": p} for p in CATALOGUE]  # unknown types: refused, the reason quotes them
    answer = httpx.post(f"{base_url}/v1/batch", json={"batch": batch}, auth=(write_key, ""), timeout=30)
    assert answer.status_code == 200 and answer.json()["refused"], answer.text
