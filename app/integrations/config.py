"""Settings of the shop integrations: the shop's address (plain), the webhook secret (encrypted with
app/access/secrets.py, shown masked), the address to paste into the shop, and the last deliveries received."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.access import audit, secrets
from app.core.context import AppContext
from storage import integrations as store
from storage import trust as trust_store
from storage.workspace import get_setting, put_setting

INTEGRATIONS = ("shopify", "woocommerce")
PATHS = {name: f"/integrations/{name}/webhooks" for name in INTEGRATIONS}
SECRET_NAMES = {"shopify": "shopify_app_secret", "woocommerce": "woocommerce_webhook_secret"}
_SHOP = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")


def _key(name: str) -> str:
    return f"integration.{name}"


@dataclass(frozen=True)
class Receiving:
    """What a delivery is checked against: the secret in clear (None when unset or unreadable) and the shop."""

    secret: str | None
    shop: str


def receiving(ctx: AppContext, name: str) -> Receiving:
    """The secret and the shop, read in one transaction (this runs for every delivery)."""
    with ctx.db.session() as session:
        row = trust_store.get_secret(session, name=SECRET_NAMES[name])
        stored = get_setting(session, key=_key(name)) or {}
    try:
        secret = None if row is None else secrets.decrypt(ctx.settings, row.ciphertext)
    except secrets.SecretError:
        secret = None  # the encryption key changed: refused until an admin enters it again
    return Receiving(secret, str(stored.get("shop") or ""))


def secret(ctx: AppContext, name: str) -> str | None:
    """The webhook secret in clear, for the signature check only."""
    return receiving(ctx, name).secret


def masked_secret(ctx: AppContext, name: str) -> str:
    return secrets.masked(ctx, SECRET_NAMES[name]) or ""


def save_secret(ctx: AppContext, name: str, value: str, *, actor: str) -> str:
    """Store the secret encrypted (audited); returns its masked form. SecretError for an empty or long one."""
    return secrets.save(ctx, SECRET_NAMES[name], value, actor=actor)


def shop(ctx: AppContext, name: str) -> str:
    """The shop's domain (Shopify: ``my-shop.myshopify.com``; WooCommerce: the store's host), "" if unset."""
    with ctx.db.session() as session:
        stored = get_setting(session, key=_key(name)) or {}
    return str(stored.get("shop") or "")


def normalise_shop(value: str) -> str:
    """A bare host name from what an admin pastes (``https://My-Shop.myshopify.com/admin`` works too)."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", (value or "").strip().lower()).split("/")[0]
    if host and not _SHOP.match(host):
        raise ValueError(f"shop: not a domain name: {value[:80]!r}")
    return host


def save_shop(ctx: AppContext, name: str, value: str, *, actor: str) -> str:
    host = normalise_shop(value)
    with ctx.db.session() as session:
        put_setting(session, key=_key(name), value={"shop": host}, now=ctx.clock.now())
        audit.record(ctx, actor, "settings.save", _key(name), {"shop": host}, session=session)
    return host


def address(ctx: AppContext, name: str) -> str:
    """The URL to paste into the shop's webhook settings (the public URL from settings, plus the path)."""
    return ctx.settings.base_url() + PATHS[name]


def deliveries(ctx: AppContext, name: str, limit: int = 20) -> list[dict[str, Any]]:
    with ctx.db.session() as session:
        return store.recent_deliveries(session, integration=name, limit=limit)
