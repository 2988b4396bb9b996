"""What a CRM adapter gives the sync: pages of contacts changed since a time, and outcomes written back.

An adapter (HubSpot, Salesforce) speaks its CRM's API through the CRM's official client library and knows
nothing of our database; the sync (app/integrations/crm/sync.py) keeps the position, maps fields and stores
contacts through ingestion, so every CRM is imported the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class CrmContact:
    crm_id: str  # the CRM's own id of the record
    email: str | None
    phone: str | None
    properties: dict[str, Any]  # the chosen CRM properties, by their CRM name
    modified_at: datetime  # aware (UTC)


@dataclass(frozen=True)
class CrmPage:
    contacts: list[CrmContact]
    cursor: str | None  # where the next page starts; None when this run has read everything


@dataclass(frozen=True)
class Outcome:
    """Journey outcomes of one contact as CRM properties (e.g. parcours_last_journey, parcours_converted)."""

    crm_id: str
    properties: dict[str, Any] = field(default_factory=dict)


class CrmError(Exception):
    """The CRM refused or failed; ``retry_after`` (seconds) is set when trying again later may work."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CrmSource(Protocol):
    name: str  # "hubspot" or "salesforce"

    def changed_since(
        self, since: datetime | None, cursor: str | None, properties: Sequence[str], limit: int
    ) -> CrmPage:
        """Contacts modified at or after ``since`` (all when None), oldest first, one page from ``cursor``."""
        ...

    def write_back(self, outcomes: Sequence[Outcome]) -> None:
        """Set these properties on these records (batched as the CRM allows)."""
        ...
