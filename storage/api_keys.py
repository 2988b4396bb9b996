"""API credentials of two kinds, stored as a SHA-256 hash and a short display prefix; the raw value is shown once.

- tracking keys (``pk_…``): write keys shipped in apps; tracking calls and the in-app inbox only;
- management tokens (``pm_…``): the management API, acting with a role (viewer or marketer, never admin).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update
from sqlmodel import Session

from journeys.errors import InvalidError, NotFoundError
from storage.audience_models import ApiKey

KEYS = ApiKey.__table__
TRACKING, MANAGEMENT = "tracking", "management"
KINDS = (TRACKING, MANAGEMENT)
TOKEN_ROLES = ("viewer", "marketer")  # a token never acts as an admin
PREFIXES = {TRACKING: "pk_", MANAGEMENT: "pm_"}
PREFIX_LENGTH = 11  # "pk_" + 8 characters
# last_used_at is written at most this often per token, so a busy integration does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class UnknownApiKey(NotFoundError):
    def __init__(self, key_id: int, kind: str = "tracking") -> None:
        super().__init__(f"no {'API key' if kind == 'tracking' else 'management token'} with id {key_id}")


@dataclass(frozen=True)
class KeyInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    kind: str = TRACKING
    role: str | None = None
    last_used_at: datetime | None = None


COLUMNS = (
    KEYS.c.id,
    KEYS.c.name,
    KEYS.c.prefix,
    KEYS.c.created_at,
    KEYS.c.revoked_at,
    KEYS.c.kind,
    KEYS.c.role,
    KEYS.c.last_used_at,
)


def hash_key(raw: str) -> str:
    # Keys are 256-bit random tokens, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_key(
    session: Session, *, name: str, now: datetime, kind: str = TRACKING, role: str | None = None
) -> tuple[KeyInfo, str]:
    """A new key; returns its info and the raw key, which is not stored anywhere.

    ValueError when the name is empty, or when a management token has no allowed role (or a tracking key has one).
    """
    name = name.strip()
    if not name:
        raise InvalidError("name: an API key needs a name")
    if kind not in KINDS:
        raise InvalidError(f"kind: must be one of {', '.join(KINDS)}")
    if kind == MANAGEMENT and role not in TOKEN_ROLES:
        raise InvalidError(f"role: a management token's role must be one of {', '.join(TOKEN_ROLES)}")
    if kind == TRACKING and role is not None:
        raise InvalidError("role: a tracking key has no role")
    raw = PREFIXES[kind] + secrets.token_urlsafe(32)
    values = {
        "name": name[:200],
        "prefix": raw[:PREFIX_LENGTH],
        "key_hash": hash_key(raw),
        "created_at": now,
        "kind": kind,
        "role": role,
    }
    key_id = session.execute(insert(KEYS).values(**values)).inserted_primary_key[0]
    return KeyInfo(key_id, values["name"], values["prefix"], now, None, kind, role), raw


def list_keys(session: Session, *, kind: str = TRACKING) -> list[KeyInfo]:
    rows = session.execute(select(*COLUMNS).where(KEYS.c.kind == kind).order_by(KEYS.c.id))
    return [KeyInfo(*row) for row in rows]


def revoke_key(session: Session, *, key_id: int, now: datetime, kind: str = TRACKING) -> None:
    """Revoke a key of ``kind`` (again is harmless); UnknownApiKey when there is no such key of that kind."""
    mine = (KEYS.c.id == key_id, KEYS.c.kind == kind)
    done = session.execute(update(KEYS).where(*mine, KEYS.c.revoked_at.is_(None)).values(revoked_at=now))
    if done.rowcount == 0 and not session.execute(select(KEYS.c.id).where(*mine)).first():
        raise UnknownApiKey(key_id, kind)


def find_key(session: Session, *, raw: str) -> KeyInfo | None:
    """The unrevoked key of either kind with this raw value (one lookup by the unique hash)."""
    row = session.execute(select(*COLUMNS).where(KEYS.c.key_hash == hash_key(raw), KEYS.c.revoked_at.is_(None))).first()
    return None if row is None else KeyInfo(*row)


def find_active_key(session: Session, *, raw: str) -> KeyInfo | None:
    """The unrevoked tracking key with this raw value."""
    key = find_key(session, raw=raw)
    return key if key is not None and key.kind == TRACKING else None


def touch(session: Session, *, key_id: int, now: datetime) -> None:
    """Record a use, at most once per LAST_USED_RESOLUTION (a conditional update: no write when recent)."""
    session.execute(
        update(KEYS)
        .where(
            KEYS.c.id == key_id,
            or_(KEYS.c.last_used_at.is_(None), KEYS.c.last_used_at < now - LAST_USED_RESOLUTION),
        )
        .values(last_used_at=now)
    )


def active_key_count(session: Session, *, kind: str = TRACKING) -> int:
    query = select(func.count()).select_from(KEYS).where(KEYS.c.revoked_at.is_(None), KEYS.c.kind == kind)
    return int(session.execute(query).scalar_one())
