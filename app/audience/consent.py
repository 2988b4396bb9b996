"""Consent per contact and channel: every change updates the contact and appends to its history at once.

``set_consent`` is the one way to change consent after a contact exists (API, UI, STOP keywords, the
preference page, unsubscribe links). A change to the status a contact already has is recorded nowhere and
reports ``changed=False``, so repeated STOPs or double clicks are harmless.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.audience.contact_fields import CHANNELS, CONSENT_VALUES
from app.core.context import AppContext
from journeys.errors import InvalidError, NotFoundError
from storage import consent as store
from storage.gdpr_models import CONSENT_SOURCES


class UnknownContact(NotFoundError):
    """No contact has this id (privacy requests and consent changes refuse it the same way)."""


class ConsentError(InvalidError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ConsentResult:
    contact_id: int
    channel: str
    status: str
    previous: str | None
    changed: bool


def check(channel: str, status: str, source: str) -> None:
    if channel not in CHANNELS:
        raise ConsentError("channel", f"unknown channel; use one of {', '.join(CHANNELS)}")
    if status not in CONSENT_VALUES:
        raise ConsentError("status", "must be subscribed or unsubscribed")
    if source not in CONSENT_SOURCES:
        raise ConsentError("source", f"unknown source; use one of {', '.join(CONSENT_SOURCES)}")


def set_consent(
    ctx: AppContext,
    contact_id: int,
    channel: str,
    status: str,
    source: str,
    actor: str,
    *,
    session: Session | None = None,
) -> ConsentResult:
    """Set one channel's consent in one transaction (the caller's ``session`` when given)."""
    check(channel, status, source)
    if session is not None:
        return _apply(ctx, session, contact_id, channel, status, source, actor)
    with ctx.db.session() as own:
        return _apply(ctx, own, contact_id, channel, status, source, actor)


def _apply(
    ctx: AppContext, session: Session, contact_id: int, channel: str, status: str, source: str, actor: str
) -> ConsentResult:
    consent = store.current_consent(session, contact_id)
    if consent is None:
        raise UnknownContact(contact_id)
    previous = consent.get(channel)
    if previous == status:
        return ConsentResult(contact_id, channel, status, previous, changed=False)
    now = ctx.clock.now()
    store.write_consent(session, contact_id, {**consent, channel: status}, now=now)
    row = {"contact_id": contact_id, "channel": channel, "status": status, "source": source, "at": now}
    store.append_history(session, [{**row, "actor": (actor or "")[:320]}])
    return ConsentResult(contact_id, channel, status, previous, changed=True)


def history(ctx: AppContext, contact_id: int) -> list[dict[str, object]]:
    """Oldest first: channel, status, source, actor and the time of each change."""
    with ctx.db.session() as session:
        return store.history(session, contact_id)


def current(ctx: AppContext, contact_id: int) -> dict[str, object]:
    with ctx.db.session() as session:
        return store.current_consent(session, contact_id) or {}


def log_changes(
    session: Session,
    before: Mapping[int, Mapping[str, Any]],
    after: Mapping[int, Mapping[str, Any]],
    *,
    source: str,
    actor: str,
    now: datetime,
) -> int:
    """History rows for bulk writers (tracking API, CSV) that already wrote ``contact.consent`` themselves.

    ``before``/``after`` map contact ids to profiles (dicts with a ``consent`` map); one executemany.
    """
    rows = []
    for contact_id, profile in after.items():
        old = (before.get(contact_id) or {}).get("consent") or {}
        for channel, status in (profile.get("consent") or {}).items():
            if old.get(channel) != status:
                rows.append(
                    {
                        "contact_id": contact_id,
                        "channel": channel,
                        "status": status,
                        "source": source,
                        "actor": actor,
                        "at": now,
                    }
                )
    store.append_history(session, rows)
    return len(rows)
