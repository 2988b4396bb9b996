"""Provider keys encrypted at rest (Fernet, key derived with HKDF from settings, label "encryption").

The encryption key comes from ``PARCOURS_ENCRYPTION_KEY`` when set, else from the master secret; either way it
goes through ``app.access.keys.derive`` with the encryption label, whose HKDF parameters are unchanged since the first
release, so stored keys never need re-encrypting when the other purposes got their own keys. Plaintext
is returned only to the code that calls providers; the UI only ever gets the masked tail. Never log values.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from app.access import audit, keys
from app.core.context import AppContext
from app.core.settings import Settings
from journeys.errors import InvalidError
from storage import trust as store

MAX_SECRET_CHARS = 4096


class SecretError(InvalidError):
    """A secret that cannot be stored or read back (for example after the encryption key changed)."""


def _material(settings: Settings) -> str:
    return settings.encryption_key or settings.resolved_secret()


@lru_cache(maxsize=8)
def _fernet(material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(keys.derive(material, keys.ENCRYPTION)))


def mask(value: str) -> str:
    """Four dots and, for long enough values, the last four characters (enough to recognise a key)."""
    return "••••" + (value[-4:] if len(value) >= 16 else "")


def encrypt(settings: Settings, value: str) -> bytes:
    return _fernet(_material(settings)).encrypt(value.encode("utf-8"))


def decrypt(settings: Settings, token: bytes) -> str:
    try:
        return _fernet(_material(settings)).decrypt(token).decode("utf-8")
    except InvalidToken as exc:
        raise SecretError("a stored secret cannot be decrypted: the encryption key changed; enter it again") from exc


def save(ctx: AppContext, name: str, value: str, *, actor: str) -> str:
    """Encrypt and store ``value`` under ``name``; returns the masked form to show."""
    value = value.strip()
    if not value:
        raise SecretError(f"{name}: empty value")
    if len(value) > MAX_SECRET_CHARS:
        raise SecretError(f"{name}: longer than {MAX_SECRET_CHARS} characters")
    masked = mask(value)
    with ctx.db.session() as session:
        store.put_secret(
            session,
            name=name,
            ciphertext=encrypt(ctx.settings, value),
            masked=masked,
            now=ctx.clock.now(),
            actor=actor,
        )
        audit.record(ctx, actor, "secret.save", name, {"masked": masked}, session=session)
    return masked


def reveal(ctx: AppContext, name: str) -> str | None:
    """The plaintext, for provider calls only; None when not set."""
    with ctx.db.session() as session:
        row = store.get_secret(session, name=name)
    return None if row is None else decrypt(ctx.settings, row.ciphertext)


def masked(ctx: AppContext, name: str) -> str | None:
    with ctx.db.session() as session:
        row = store.get_secret(session, name=name)
    return None if row is None else row.masked


def remove(ctx: AppContext, name: str, *, actor: str) -> bool:
    with ctx.db.session() as session:
        removed = store.delete_secret(session, name=name)
        if removed:
            audit.record(ctx, actor, "secret.remove", name, session=session)
    return removed
