"""The real client libraries, with their default settings except the host and the write key, against the real
server on loopback: every call lands once with its traits, properties, context and time.

The Python libraries run in this process; ``@segment/analytics-node`` runs with Node from the pinned package in
``tests/sdk_node`` (installed by ``scripts/setup.sh test``), sending the same calls (``tests/sdk_node/send.mjs``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import rudderstack.analytics.client as rudder
import segment.analytics.client as segment
from sqlalchemy import select

from storage.contacts import CONTACTS
from storage.db import Database
from storage.models import Event
from tests.conftest import run_cli

EVENTS = Event.__table__
NODE_SENDER = Path(__file__).parent / "sdk_node" / "send.mjs"
CONTEXT = {"locale": "fr-FR", "timezone": "Europe/Paris", "device": {"type": "ios", "model": "iPhone15,2"}}


def _send_python(library: type, base_url: str, key: str, happened: datetime) -> list[Any]:
    """The calls through a Python library's client; the errors it reported."""
    failures: list[Any] = []
    client = library(key, host=base_url, on_error=lambda error, _batch: failures.append(error))
    anon = {"anonymous_id": "anon-1"}  # a visitor before sign-in, then aliased to the account's id
    client.identify(traits={"email": "Ann@Example.com", "plan": "pro"}, context=CONTEXT, **anon)
    client.track(event="Order Completed", properties={"total": 27.5, "currency": "EUR"}, timestamp=happened, **anon)
    client.page(category="Docs", name="Getting started", properties={"url": "https://example.com/docs"}, **anon)
    client.screen(name="Checkout", properties={"variation": "blue"}, **anon)
    client.group(group_id="acct-9", traits={"name": "Initech", "employees": 329}, **anon)
    client.alias("anon-1", "ann")
    client.flush()
    client.join()
    return failures


def _send_node(base_url: str, key: str, happened: datetime) -> list[Any]:
    """The same calls through @segment/analytics-node; its reported delivery failures, if any."""
    done = subprocess.run(
        ["node", str(NODE_SENDER), base_url, key, happened.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return [] if done.returncode == 0 else [done.returncode, done.stdout, done.stderr]


SENDERS: dict[str, Callable[[str, str, datetime], list[Any]]] = {
    "segment": lambda url, key, when: _send_python(segment.Client, url, key, when),
    "rudderstack": lambda url, key, when: _send_python(rudder.Client, url, key, when),
    "analytics-node": _send_node,
}


@pytest.mark.parametrize("library", sorted(SENDERS))
def test_every_call_of_the_real_library_lands_once(server, settings, library: str) -> None:
    key = run_cli("apikey", "create", library).stdout.strip()
    before = datetime.now(UTC)
    happened = before - timedelta(hours=3)  # a past time, as a server-side backfill would send
    failures = SENDERS[library](server.base_url, key, happened)
    after = datetime.now(UTC)
    assert failures == []
    db = Database(settings.database_url)
    try:
        with db.engine.connect() as conn:
            contacts = conn.execute(
                select(
                    CONTACTS.c.id,
                    CONTACTS.c.external_id,
                    CONTACTS.c.email,
                    CONTACTS.c.attributes,
                    CONTACTS.c.locale,
                    CONTACTS.c.time_zone,
                    CONTACTS.c.platform,
                ).where(CONTACTS.c.merged_into_id.is_(None))
            ).all()
            events = conn.execute(
                select(EVENTS.c.contact_id, EVENTS.c.name, EVENTS.c.properties, EVENTS.c.timestamp).order_by(
                    EVENTS.c.id
                )
            ).all()
    finally:
        db.dispose()
    ((cid, external, email, attributes, locale, zone, platform),) = contacts
    assert (external, email, locale, zone, platform) == ("ann", "Ann@example.com", "fr-FR", "Europe/Paris", "ios")
    assert attributes == {"plan": "pro", "group_id": "acct-9", "group": {"name": "Initech", "employees": 329}}
    assert [(e.contact_id, e.name) for e in events] == [
        (cid, "Order Completed"),
        (cid, "Page Viewed"),
        (cid, "Screen Viewed"),
    ]
    assert events[0].properties == {"total": 27.5, "currency": "EUR"}
    assert events[1].properties == {"url": "https://example.com/docs", "name": "Getting started", "category": "Docs"}
    assert events[2].properties == {"variation": "blue", "name": "Checkout"}
    # Corrected by sentAt and the received time: the client's and server's clocks agree here, so only the
    # network time may shift them.
    assert abs(events[0].timestamp - happened) < after - before + timedelta(seconds=1)
    assert all(before - timedelta(seconds=1) <= e.timestamp <= after for e in events[1:])
