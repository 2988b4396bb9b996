"""Tables of the trust area: user accounts, login throttling, the audit log and encrypted secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from storage.types import JSONType, UTCDateTime

ROLES = ("viewer", "marketer", "admin")


class AppUser(SQLModel, table=True):
    """A person who signs in to Parcours (not a contact being messaged)."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=200)
    role: str = Field(default="viewer", max_length=16)
    active: bool = Field(default=True)
    # Bumped when a password changes or the account is deactivated: older sessions stop working.
    session_version: int = Field(default=1)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per key ("account:<email>" or "ip:<address>"), kept in the DB so restarts keep it."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=400)
    failures: int = Field(default=0)
    last_failure_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    """Who did what and when. Rows are only ever inserted: no code path updates or deletes them."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=320, index=True)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=400)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    ip: str | None = Field(default=None, max_length=64)


class StoredSecret(SQLModel, table=True):
    """A provider key encrypted at rest; only the masked tail is ever shown again."""

    __tablename__ = "stored_secret"

    name: str = Field(primary_key=True, max_length=100)
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    masked: str = Field(max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(default="", max_length=320)
