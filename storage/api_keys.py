"""API keys: only a SHA-256 hash and a short display prefix are stored; the key is shown once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from storage.audience_models import ApiKey

KEYS = ApiKey.__table__
PREFIX_LENGTH = 11  # "pk_" + 8 characters


class UnknownApiKey(LookupError):
    def __init__(self, key_id: int) -> None:
        super().__init__(f"no API key with id {key_id}")


@dataclass(frozen=True)
class KeyInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def hash_key(raw: str) -> str:
    # Keys are 256-bit random tokens, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_key(session: Session, *, name: str, now: datetime) -> tuple[KeyInfo, str]:
    """A new key; returns its info and the raw key, which is not stored anywhere."""
    name = name.strip()
    if not name:
        raise ValueError("an API key needs a name")
    raw = "pk_" + secrets.token_urlsafe(32)
    values = {"name": name[:200], "prefix": raw[:PREFIX_LENGTH], "key_hash": hash_key(raw), "created_at": now}
    key_id = session.execute(insert(KEYS).values(**values)).inserted_primary_key[0]
    return KeyInfo(id=key_id, name=values["name"], prefix=values["prefix"], created_at=now, revoked_at=None), raw


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(select(KEYS.c.id, KEYS.c.name, KEYS.c.prefix, KEYS.c.created_at, KEYS.c.revoked_at))
    return [KeyInfo(*row) for row in rows]


def revoke_key(session: Session, *, key_id: int, now: datetime) -> None:
    done = session.execute(update(KEYS).where(KEYS.c.id == key_id, KEYS.c.revoked_at.is_(None)).values(revoked_at=now))
    if done.rowcount == 0 and not session.execute(select(KEYS.c.id).where(KEYS.c.id == key_id)).first():
        raise UnknownApiKey(key_id)


def find_active_key(session: Session, *, raw: str) -> KeyInfo | None:
    row = session.execute(
        select(KEYS.c.id, KEYS.c.name, KEYS.c.prefix, KEYS.c.created_at, KEYS.c.revoked_at).where(
            KEYS.c.key_hash == hash_key(raw), KEYS.c.revoked_at.is_(None)
        )
    ).first()
    return None if row is None else KeyInfo(*row)


def active_key_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(KEYS).where(KEYS.c.revoked_at.is_(None))).scalar_one())
