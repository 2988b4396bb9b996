"""Request bodies of the tracking API, with Segment's field names (userId, anonymousId, traits, ...).

Unknown Segment fields (integrations, channel, ...) are accepted and ignored. ``sentAt`` and
``originalTimestamp`` are read to correct the client's clock (see app/tracking/intake.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Segment allows 32 KB per message and 500 KB per batch; a body (after gzip) may be 4 MiB, with no count limit.
MAX_BODY_BYTES = 4 * 1024 * 1024
# Ids may arrive as JSON numbers (Segment's libraries pass them through): they are kept as text.
Id = Annotated[str, Field(min_length=1, max_length=200, coerce_numbers_to_str=True)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    userId: Id | None = Field(default=None, description="Your id for the person (external id)")
    anonymousId: Id | None = Field(default=None, description="A device or browser id before sign-in")
    timestamp: datetime | None = Field(default=None, description="When it happened (ISO 8601); default: now")
    originalTimestamp: datetime | None = Field(default=None, description="The client's time, used without timestamp")
    sentAt: datetime | None = Field(default=None, description="The client's time when sending: corrects its clock")
    messageId: Id | None = Field(default=None, description="Unique per message: retries with it are ignored")
    context: dict[str, Any] | None = Field(default=None, description="Segment context: location, device, os...")

    def someone_missing(self) -> bool:
        """True when the message names nobody (checked by the intake, not by a per-message validator)."""
        return self.userId is None and self.anonymousId is None


class Identify(_Message):
    type: Literal["identify"] = "identify"
    traits: dict[str, Any] = Field(default_factory=dict, description="Attributes; email, phone, timezone, locale")


class Track(_Message):
    type: Literal["track"] = "track"
    event: str = Field(min_length=1, max_length=200, description="The event name, such as Order Completed")
    properties: dict[str, Any] = Field(default_factory=dict)


class Page(_Message):
    """A web page view; stored as the event ``Page Viewed`` with ``name`` and ``category`` in its properties."""

    type: Literal["page"] = "page"
    name: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=200)
    properties: dict[str, Any] = Field(default_factory=dict)


class Screen(_Message):
    """A mobile screen view; stored as the event ``Screen Viewed`` with ``name`` in its properties."""

    type: Literal["screen"] = "screen"
    name: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=200)
    properties: dict[str, Any] = Field(default_factory=dict)


class Group(_Message):
    """The account a person belongs to; kept on the contact as ``group_id`` and ``group`` (its traits)."""

    type: Literal["group"] = "group"
    groupId: Id = Field(description="The account's id")
    traits: dict[str, Any] = Field(default_factory=dict)


class Alias(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["alias"] = "alias"
    previousId: Id = Field(description="The anonymous id (or old user id) to merge away")
    userId: Id = Field(description="The id that survives")
    timestamp: datetime | None = None
    originalTimestamp: datetime | None = None
    sentAt: datetime | None = None
    messageId: Id | None = None

    def someone_missing(self) -> bool:
        return False  # both ids are required fields


Message = Annotated[Identify | Track | Page | Screen | Group | Alias, Field(discriminator="type")]
# The ``type`` tags of the union above, read from the models themselves.
MESSAGE_TYPES = frozenset(m.model_fields["type"].default for m in (Identify, Track, Page, Screen, Group, Alias))


class Batch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    batch: list[Message] = Field(min_length=1, description="Messages; the body may hold up to 4 MiB")
    context: dict[str, Any] | None = Field(default=None, description="Context merged into every message")
    sentAt: datetime | None = Field(default=None, description="The client's time when sending the batch")
    writeKey: str | None = Field(default=None, description="The write key, when not sent as Authorization")


class FieldProblem(BaseModel):
    index: int | None = Field(default=None, description="Position of the message in the batch")
    field: str
    message: str


class Accepted(BaseModel):
    success: bool = True
    stored: int = Field(description="Events stored")
    duplicates: int = Field(description="Messages ignored because their messageId was already stored")
    contacts: int = Field(description="Contacts created or updated")
    warnings: list[FieldProblem] = Field(default_factory=list, description="Fields dropped or corrected")
    refused: list[FieldProblem] = Field(default_factory=list, description="Messages not stored, and why")


class Problems(BaseModel):
    code: str = Field(description="invalid_request, unauthorized, payload_too_large, rate_limited...")
    message: str
    detail: str
    errors: list[FieldProblem] = Field(default_factory=list)
