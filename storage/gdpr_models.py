"""Tables of the GDPR area: the consent history and the identities of erased contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

CONSENT_SOURCES = ("api", "csv", "ui", "unsubscribe", "sms_keyword", "preference_page", "import")


class ConsentChange(SQLModel, table=True):
    """One change of one contact's consent on one channel. Rows are appended, never edited."""

    __tablename__ = "consent_change"
    __table_args__ = (Index("ix_consent_change_contact", "contact_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int
    channel: str = Field(max_length=16)
    status: str = Field(max_length=16)
    source: str = Field(max_length=20)
    actor: str = Field(default="", max_length=320)
    at: datetime = Field(sa_type=UTCDateTime)


class ErasedIdentity(SQLModel, table=True):
    """A salted hash of an identifier (email, phone, external id) of an erased contact, never the value."""

    __tablename__ = "erased_identity"

    digest: str = Field(primary_key=True, max_length=64)
    erased_at: datetime = Field(sa_type=UTCDateTime)
