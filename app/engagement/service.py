"""Engagement hits turned into counters: tracking links, app-reported opens/clicks, provider callbacks."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from app.core.context import AppContext
from storage import engagement

# OneSignal event kinds ("message.<channel>.<action>") -> our metric.
ONESIGNAL_ACTIONS = {
    "received": "delivered",
    "delivered": "delivered",
    "confirmed_delivery": "delivered",
    "failed": "failed",
    "bounced": "failed",
    "opened": "opened",
    "clicked": "clicked",
    "unsubscribed": "unsubscribed",
}


def _now(ctx: AppContext) -> int:
    return int(ctx.clock.now().timestamp())


def hit(ctx: AppContext, message_id: str, metric: str) -> bool:
    """Record an open or a click on a message; False when the message is unknown or its contact erased."""
    with ctx.db.engine.begin() as conn:
        return engagement.record_hit(conn, message_id, metric, _now(ctx)) is not None


def unsubscribe(ctx: AppContext, message_id: str) -> bool:
    with ctx.db.engine.begin() as conn:
        return engagement.unsubscribe(conn, message_id, _now(ctx))


def unsubscribe_request(raw: bytes, content_type: str) -> str | None:
    """ "one-click" for an RFC 8058 POST (urlencoded or multipart), "confirm" for our page's form, else None."""
    if "multipart/form-data" in content_type:
        one_click = re.search(rb'name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click', raw)
        return "one-click" if one_click else None
    form = parse_qs(raw.decode("utf-8", "replace"))
    if form.get("List-Unsubscribe") == ["One-Click"]:
        return "one-click"
    return "confirm" if form.get("confirm") == ["yes"] else None


def onesignal_event(ctx: AppContext, kind: str, notification_id: str, external_id: str, reason: str = "") -> int:
    """Apply one OneSignal event; returns how many of our messages it concerned (0 when none or ignored)."""
    action = kind.rsplit(".", 1)[-1]
    metric = ONESIGNAL_ACTIONS.get(action)
    if metric is None:
        return 0
    now = _now(ctx)
    with ctx.db.engine.begin() as conn:
        rows = engagement.messages_for_provider(conn, notification_id, external_id)
        for row in rows:
            if metric == "unsubscribed":
                engagement.unsubscribe(conn, row.message_id, now)
            else:
                engagement.record(conn, row, metric, now, reason if metric == "failed" else "")
    return len(rows)


def parse_onesignal(body: Any) -> tuple[str, str, str, str]:
    """(kind, notification id, external id, reason) from an Event Streams body; ValueError names the field."""
    if not isinstance(body, dict):
        raise ValueError("body: expected a JSON object")
    event, message, user = body.get("event"), body.get("message"), body.get("user")
    if (
        not isinstance(event, dict)
        or not isinstance(event.get("kind"), str)
        or not event["kind"].startswith("message.")
    ):
        raise ValueError("event.kind: expected a string like message.push.received")
    if not isinstance(message, dict) or not isinstance(message.get("id"), str) or not message["id"]:
        raise ValueError("message.id: expected the OneSignal message id")
    if not isinstance(user, dict) or not isinstance(user.get("external_id"), str) or not user["external_id"]:
        raise ValueError("user.external_id: expected the contact's external id")
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    reason = str(data.get("failure_reason") or data.get("reason") or event["kind"].rsplit(".", 1)[-1])[:60]
    return event["kind"], message["id"], user["external_id"], reason
