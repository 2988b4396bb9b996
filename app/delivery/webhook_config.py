"""Webhook settings of the workspace: the host allow-list, the publish-time address check, and the provider.

The allow-list is the union of ``PARCOURS_WEBHOOK_ALLOW_HOSTS`` and what an admin saved in Settings. Only
listed hosts (``host`` for any port, ``host:port`` for one) may resolve to private, loopback or other
internal addresses, or to this server.
"""

from __future__ import annotations

import re

from app.access import audit
from app.core.context import AppContext
from app.core.install import install_id
from app.core.settings import Settings
from app.delivery.outbound import Guard, Refused, Resolver, Unresolved, build_guard, parse_allowlist, system_resolver
from app.delivery.providers.webhook import WebhookProvider
from app.delivery.webhook_keys import signing_keys
from journeys.document import JourneyDocument
from journeys.nodes.webhook import is_templated
from journeys.validation import Violation
from storage.workspace import get_setting, put_setting

ALLOW_KEY = "webhook_allow_hosts"
MAX_ENTRIES = 200


def split_entries(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text or "") if part]


def stored_allowlist(ctx: AppContext) -> list[str]:
    with ctx.db.session() as session:
        stored = get_setting(session, key=ALLOW_KEY) or {}
    return [str(host) for host in stored.get("hosts", [])]


def allowlist(ctx: AppContext) -> list[str]:
    """Environment entries first, then the admin's; malformed environment entries are ignored, not fatal."""
    try:
        env = parse_allowlist(split_entries(ctx.settings.webhook_allow_hosts))
    except ValueError:
        env = []
    return list(dict.fromkeys(env + stored_allowlist(ctx)))


def save_allowlist(ctx: AppContext, text: str, *, actor: str) -> list[str]:
    """Store the admin's entries (one per line or comma-separated); ValueError names a malformed entry."""
    entries = parse_allowlist(split_entries(text))
    if len(entries) > MAX_ENTRIES:
        raise ValueError(f"at most {MAX_ENTRIES} allowed hosts")
    with ctx.db.session() as session:
        put_setting(session, key=ALLOW_KEY, value={"hosts": entries}, now=ctx.clock.now())
        audit.record(ctx, actor, "settings.save", ALLOW_KEY, {"hosts": ", ".join(entries)}, session=session)
    return entries


def guard(ctx: AppContext, resolver: Resolver = system_resolver) -> Guard:
    return build_guard(ctx.settings, allowlist(ctx), resolver)


def publish_problems(ctx: AppContext, doc: JourneyDocument, resolver: Resolver = system_resolver) -> list[Violation]:
    """Webhook steps whose fixed URL reaches a refused address. Templated URLs are checked at send time, and
    a host that does not resolve now is left to the send-time check rather than blocking the publish."""
    check = guard(ctx, resolver)
    found: list[Violation] = []
    for node in doc.nodes:
        url = node.config.get("url") if node.type == "webhook" else None
        if not isinstance(url, str) or is_templated(url):
            continue
        try:
            check.check(url)
        except Unresolved:
            continue
        except Refused as exc:
            found.append(Violation(code="webhook_address", node_id=node.id, message=f"url: {exc}"))
    return found


def provider(ctx: AppContext, settings: Settings) -> WebhookProvider:
    """The webhook provider of this workspace: its signing keys, allow-list and install id."""
    return WebhookProvider(
        settings,
        lambda: ctx.clock.now().timestamp(),
        config=lambda: (signing_keys(ctx).all(), guard(ctx)),
        install_id=install_id(ctx),
    )
