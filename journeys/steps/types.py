"""What a step sees and what it decides. Pure data: no database, no network."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys.conditions import Subject
from journeys.document import JourneySettings
from journeys.policy import DeliveryPolicy
from journeys.send_time import Profile

LIQUID_FIELDS = ("id", "external_id", "email", "phone", "time_zone", "locale", "platform")


@dataclass
class ContactView(Subject):
    """A contact as the steps see it: the evaluator's Subject (so branches read exactly what segments read),
    whose attributes update_attribute steps change in memory."""

    attributes: dict[str, Any] = field(default_factory=dict)
    consent: dict[str, Any] = field(default_factory=dict)
    attributes_changed: bool = False

    def liquid(self) -> dict[str, Any]:
        out = dict(self.attributes)
        for name in LIQUID_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(slots=True)
class State:
    """One enrollment while the engine holds it in memory."""

    id: int | None
    journey_id: int
    version_id: int
    contact_id: int
    entry_no: int
    node_id: str
    status: str = "active"
    phase: int = 0
    due_at: int = 0
    wait_event: str | None = None
    resume_port: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    entered_at: int = 0

    @property
    def variant(self) -> str:
        return str(self.context.get("variant", ""))

    def message_id(self, node_id: str) -> str:
        return f"{self.journey_id}-{self.contact_id}-{self.entry_no}-{node_id}"


@dataclass(slots=True)
class Message:
    message_id: str
    channel: str
    node_id: str
    transactional: bool
    payload: dict[str, Any]


@dataclass
class Env:
    """Everything around a step: the time, the contact, the rules and what was sent recently."""

    now: int
    contact: ContactView
    settings: JourneySettings
    policy: DeliveryPolicy
    # channel -> [(epoch seconds, journey id)] of recent sends to this contact, for frequency caps
    recent_sends: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # Saved segment trees by name and the contact's events, loaded only for branches that need them.
    segments: dict[str, Any] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    # The contact's recommended products (docs/ECOMMERCE.md), loaded only for plans whose messages show them
    # (None otherwise, so a send on the hot path pays nothing for the feature).
    recommendations: list[dict[str, Any]] | None = None
    # The contact's engagement profile by local hour of week and the workspace's (journeys/send_time.py), loaded
    # only for plans that send at the best time (None otherwise: no history, the fallback time applies).
    send_profile: Profile | None = None
    workspace_profile: Profile | None = None
    # True when the plan reads predicted scores and the engine loaded them into ``contact.predicted`` (so a send
    # on the hot path checks its templates for scores only then).
    predictions_loaded: bool = False


@dataclass(slots=True)
class Decision:
    """The result of one step. Exactly one of port / wait_until / end is meaningful."""

    port: str | None = None
    wait_until: int | None = None
    wait_event: str | None = None
    end: str | None = None  # "done" | "failed"
    outcome: str = "passed"
    reason: str = ""
    message: Message | None = None
    context_updates: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def go(cls, port: str = "next", **kwargs: Any) -> Decision:
        return cls(port=port, **kwargs)

    @classmethod
    def wait(cls, until: int, event: str | None = None) -> Decision:
        return cls(wait_until=until, wait_event=event, outcome="waiting")
