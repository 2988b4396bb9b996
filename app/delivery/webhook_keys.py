"""The webhook signing secret: set or rotated by an admin, shown to admins, overridden by the environment.

Which secret signs, first match wins: ``PARCOURS_WEBHOOK_SECRET``; the one an admin set or rotated in
Settings (stored encrypted); else a key derived from the master secret with its own HKDF label, so verifying
our webhooks never reveals the key that signs links or sessions. After a rotation the previous secret also
signs for ``GRACE`` (the header then carries two signatures), so receivers can switch without losing calls.
"""

from __future__ import annotations

import secrets as random
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.access import audit, keys, secrets
from app.core.context import AppContext
from journeys.errors import InvalidError
from storage import trust as store
from storage.workspace import get_setting, put_setting

CURRENT = "webhook_secret"  # the stored secret name the Providers form has always used
PREVIOUS = "webhook_secret.previous"
ROTATION_KEY = "webhook_signing"
GRACE = timedelta(hours=24)
MIN_CHARS = 16


class SigningKeyError(InvalidError):
    """A secret that cannot be used or changed; the message says why."""


@dataclass(frozen=True)
class SigningKeys:
    current: str
    previous: str | None  # still signing until ``previous_until``
    source: str  # "environment", "settings" or "derived"
    previous_until: datetime | None = None

    def all(self) -> list[str]:
        return [self.current] + ([self.previous] if self.previous else [])


def _stored(ctx: AppContext, name: str) -> str | None:
    try:
        return secrets.reveal(ctx, name)
    except secrets.SecretError:
        return None  # encrypted under an older encryption key: treated as unset until set again


def signing_keys(ctx: AppContext) -> SigningKeys:
    env = ctx.settings.webhook_secret.get_secret_value()
    if env:
        return SigningKeys(env, None, "environment")
    stored = _stored(ctx, CURRENT)
    current = stored or keys.default_webhook_secret(ctx.settings)
    source = "settings" if stored else "derived"
    with ctx.db.session() as session:
        rotation = get_setting(session, key=ROTATION_KEY) or {}
    until = datetime.fromisoformat(rotation["previous_until"]) if rotation.get("previous_until") else None
    if until is None or until <= ctx.clock.now():
        return SigningKeys(current, None, source)
    return SigningKeys(current, _stored(ctx, PREVIOUS), source, until)


def _replace(ctx: AppContext, value: str, *, actor: str, grace: timedelta) -> None:
    """Store the new secret and the overlap with the old one in one transaction (both or neither)."""
    if ctx.settings.webhook_secret.get_secret_value():
        raise SigningKeyError("PARCOURS_WEBHOOK_SECRET is set in the environment: change it there")
    old, now = signing_keys(ctx).current, ctx.clock.now()
    with ctx.db.session() as session:
        for name, secret in ((CURRENT, value), (PREVIOUS, old)):
            masked = secrets.mask(secret)
            ciphertext = secrets.encrypt(ctx.settings, secret)
            store.put_secret(session, name=name, ciphertext=ciphertext, masked=masked, now=now, actor=actor)
        put_setting(session, key=ROTATION_KEY, value={"previous_until": (now + grace).isoformat()}, now=now)
        details = {"grace_hours": grace / timedelta(hours=1), "masked": secrets.mask(value)}
        audit.record(ctx, actor, "webhook.signing_key", CURRENT, details, session=session)


def rotate(ctx: AppContext, *, actor: str, grace: timedelta = GRACE) -> str:
    """A new random secret signs from now on; the old one also signs for ``grace``. Returns the new secret."""
    value = random.token_urlsafe(32)
    _replace(ctx, value, actor=actor, grace=grace)
    return value


def set_secret(ctx: AppContext, value: str, *, actor: str, grace: timedelta = GRACE) -> None:
    """An admin-chosen secret (for example one shared with a partner); the old one overlaps like a rotation."""
    value = value.strip()
    if len(value) < MIN_CHARS:
        raise SigningKeyError(f"webhook signing secret: at least {MIN_CHARS} characters")
    _replace(ctx, value, actor=actor, grace=grace)
