"""One key per purpose, derived from the master secret with HKDF-SHA256 and a distinct label.

Knowing one derived key (for example the webhook signing key a partner uses to verify our calls) reveals
nothing about the others nor about the master secret. The encryption label keeps the HKDF parameters it has
always used, so provider keys stored before this module existed still decrypt.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.settings import Settings

SESSION, LINKS, WEBHOOK_SIGNING, ENCRYPTION = "session", "links", "webhook-signing", "encryption"
_SALT = b"parcours/keys"
# label -> (salt, info). Encryption predates the others: its salt and info are the ones already in use.
_PARAMS = {
    SESSION: (_SALT, b"session"),
    LINKS: (_SALT, b"links"),
    WEBHOOK_SIGNING: (_SALT, b"webhook-signing"),
    ENCRYPTION: (b"parcours/secrets", b"parcours stored secrets v1"),
}


@lru_cache(maxsize=32)
def derive(material: str, label: str) -> bytes:
    """32 bytes for ``label`` from ``material``; KeyError for an unknown label (a typo must not pass)."""
    salt, info = _PARAMS[label]
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(material.encode("utf-8"))


def derived_text(settings: Settings, label: str) -> str:
    """The key for ``label`` from the master secret, as hex text (for APIs that take a string secret)."""
    return derive(settings.resolved_secret(), label).hex()


def session_secret(settings: Settings) -> str:
    return derived_text(settings, SESSION)


def link_secret(settings: Settings) -> str:
    return derived_text(settings, LINKS)


def default_webhook_secret(settings: Settings) -> str:
    return derived_text(settings, WEBHOOK_SIGNING)
