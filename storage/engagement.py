"""Engagement after a send: deliveries and failures reported by providers, opens, clicks, unsubscribes.

Each hit is checked against the outbox (the message must exist and its contact must still exist) and is
counted at most once per message, so a reloaded pixel or a retried provider callback changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, exists, insert, select, update

from storage.engine_models import OutboxMessage
from storage.funnel_log import LOG, Entry, message_entry, parse_message_id, write
from storage.gdpr_models import ConsentChange
from storage.models import Contact

OUT = OutboxMessage.__table__
CON = Contact.__table__
ONCE_PER_MESSAGE = {"delivered", "opened", "clicked", "unsubscribed", "failed"}


def find_message(conn: Connection, message_id: str) -> Any | None:
    """The outbox row of a message whose contact still exists, else None."""
    query = select(OUT).where(OUT.c.message_id == message_id).where(exists().where(CON.c.id == OUT.c.contact_id))
    return conn.execute(query).first()


def _logged(conn: Connection, entry: Entry, *, any_node: bool = False) -> bool:
    query = select(LOG.c.id).where(
        LOG.c.journey_id == entry.journey_id,
        LOG.c.contact_id == entry.contact_id,
        LOG.c.entry_no == entry.entry_no,
        LOG.c.metric == entry.metric,
    )
    if not any_node:
        query = query.where(LOG.c.node_id == entry.node_id)
    return conn.execute(query.limit(1)).first() is not None


def record(conn: Connection, row: Any, metric: str, now: int, reason: str = "") -> bool:
    """Log ``metric`` for an outbox row once. A click also counts an open (images may be blocked) and,
    the first time in the enrollment, a ``first_click`` (the experiments' click metric)."""
    entry = message_entry(row, metric, reason, now)
    if entry is None or _logged(conn, entry):
        return False
    entries = [entry]
    if metric == "clicked":
        opened = message_entry(row, "opened", "", now)
        if opened is not None and not _logged(conn, opened):
            entries.append(opened)
        first = message_entry(row, "first_click", "", now)
        if first is not None and not _logged(conn, first, any_node=True):
            entries.append(first)
    write(conn, entries)
    return True


def record_hit(conn: Connection, message_id: str, metric: str, now: int) -> Any | None:
    """A tracking hit on one message; returns its outbox row, or None when the message is unknown."""
    row = find_message(conn, message_id)
    if row is None:
        return None
    record(conn, row, metric, now)
    return row


def unsubscribe(conn: Connection, message_id: str, now: int) -> bool:
    """Withdraw the contact's consent for the message's channel at once; count it once per message."""
    row = find_message(conn, message_id)
    if row is None or parse_message_id(message_id) is None:
        return False
    consent = conn.execute(select(CON.c.consent).where(CON.c.id == row.contact_id)).scalar_one()
    if (consent or {}).get(row.channel) != "unsubscribed":
        changed = {**(consent or {}), row.channel: "unsubscribed"}
        conn.execute(update(CON).where(CON.c.id == row.contact_id).values(consent=changed))
        conn.execute(
            insert(ConsentChange.__table__).values(
                contact_id=row.contact_id,
                channel=row.channel,
                status="unsubscribed",
                source="unsubscribe",
                actor="unsubscribe link",
                at=datetime.fromtimestamp(now, UTC),
            )
        )
    record(conn, row, "unsubscribed", now)
    return True


def messages_for_provider(conn: Connection, provider_ref: str, external_id: str) -> list[Any]:
    """Outbox rows of one provider request (e.g. a OneSignal notification) sent to one contact."""
    contact_id = conn.execute(select(CON.c.id).where(CON.c.external_id == external_id)).scalar_one_or_none()
    if contact_id is None:
        return []
    query = select(OUT).where(OUT.c.contact_id == contact_id, OUT.c.provider_ref == provider_ref)
    return list(conn.execute(query))
