"""Signed tracking URLs and their use at send time: every email gets tracked links, an open pixel, an
unsubscribe link and ``List-Unsubscribe`` headers (RFC 2369, one-click per RFC 8058).

Tokens come from app/access/signing.py, one purpose per kind of link, so a pixel token cannot unsubscribe anyone
and no token can be forged or enumerated. They are keyed with the "links" key (app/access/keys.py), never with the
master secret itself; open, click and unsubscribe links in emails sent before that change stay valid while
``legacy_link_tokens`` is on. The outbox keeps the undecorated body; decoration is deterministic, so a
retried send carries the same links.
"""

from __future__ import annotations

from urllib.parse import quote

from app.access import keys, signing
from app.core.settings import Settings
from app.delivery.providers import Outgoing
from journeys.links import add_open_pixel, add_unsubscribe_footer, rewrite_links

OPEN, CLICK, UNSUBSCRIBE = "open", "click", "unsubscribe"
DECORATED_PROVIDERS = {"smtp", "sandbox"}  # OneSignal batches identical bodies and tracks on its own
LEGACY_PURPOSES = {OPEN, CLICK, UNSUBSCRIBE}  # links already sitting in inboxes; never preference links


def token(settings: Settings, purpose: str, message_id: str, url: str | None = None) -> str:
    payload = {"m": message_id} if url is None else {"m": message_id, "u": url}
    return signing.sign(keys.link_secret(settings), purpose, payload)


def open_url(settings: Settings, message_id: str) -> str:
    return f"{settings.base_url()}/api/v1/track/open/{token(settings, OPEN, message_id)}.gif"


def click_url(settings: Settings, message_id: str, url: str) -> str:
    return f"{settings.base_url()}/api/v1/track/click/{quote(token(settings, CLICK, message_id, url))}"


def unsubscribe_url(settings: Settings, message_id: str) -> str:
    return f"{settings.base_url()}/api/v1/track/unsubscribe/{token(settings, UNSUBSCRIBE, message_id)}"


def read(settings: Settings, purpose: str, raw: str) -> dict[str, str] | None:
    """The payload of a genuine token of this purpose with a message id (and a URL for clicks), else None."""
    payload = signing.verify(keys.link_secret(settings), purpose, raw)
    if payload is None and settings.legacy_link_tokens and purpose in LEGACY_PURPOSES:
        payload = signing.verify(settings.resolved_secret(), purpose, raw)
    if not payload or not isinstance(payload.get("m"), str):
        return None
    if purpose == CLICK and not _safe_target(payload.get("u")):
        return None
    return payload


def _safe_target(url: object) -> bool:
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def decorate_email(settings: Settings, item: Outgoing) -> None:
    """Rewrite one email's body and headers in place (tracked links, pixel, unsubscribe)."""
    body = str(item.payload.get("body") or "")
    body = rewrite_links(body, lambda url: click_url(settings, item.message_id, url))
    unsubscribe = unsubscribe_url(settings, item.message_id)
    body = add_unsubscribe_footer(body, unsubscribe, "Se désabonner / Unsubscribe")
    item.payload["body"] = add_open_pixel(body, open_url(settings, item.message_id))
    item.payload["headers"] = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def decorate(settings: Settings, batches: list[tuple[str, list[Outgoing]]]) -> None:
    for provider, batch in batches:
        if provider in DECORATED_PROVIDERS:
            for item in batch:
                if item.channel == "email":
                    decorate_email(settings, item)
