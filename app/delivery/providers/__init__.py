"""Channel providers. Each takes claimed outbox rows and returns one Outcome per row; none raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from app.core.settings import Settings


@dataclass
class Outcome:
    """sent; retry (transient: 429, 5xx, timeout, malformed answer); failed (permanent, with reason)."""

    status: str  # "sent" | "retry" | "failed"
    reason: str = ""
    provider_ref: str | None = None

    @classmethod
    def sent(cls, ref: str | None = None) -> Outcome:
        return cls("sent", provider_ref=ref)


@dataclass
class Outgoing:
    """One claimed outbox row."""

    id: int
    message_id: str
    channel: str
    contact_id: int
    journey_id: int
    payload: dict[str, Any]
    batch_key: str


class Provider(Protocol):
    name: str

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        """Send messages that share a batch key; one outcome per message, in order."""
        ...


def route(settings: Settings, channel: str) -> str:
    """The provider name for a channel: configured ones, else ``sandbox``."""
    onesignal = bool(settings.onesignal_app_id and settings.onesignal_api_key.get_secret_value())
    if channel == "sms":
        return sms_route(settings, onesignal)
    if channel == "push":
        return "onesignal" if onesignal else "sandbox"
    if channel == "email":
        if settings.smtp_host:
            return "smtp"
        return "onesignal" if onesignal and settings.onesignal_email else "sandbox"
    if channel == "in_app":
        return "in_app"
    return "webhook"


def twilio_ready(settings: Settings) -> bool:
    return bool(settings.twilio_account_sid and settings.twilio_auth_token.get_secret_value() and settings.twilio_from)


def sms_route(settings: Settings, onesignal: bool) -> str:
    """Twilio or OneSignal as Settings → Providers chose (auto: Twilio when configured), else ``sandbox``."""
    twilio = twilio_ready(settings)
    if settings.sms_provider == "onesignal" and onesignal:
        return "onesignal"
    if twilio and settings.sms_provider in {"auto", "twilio"}:
        return "twilio"
    return "onesignal" if onesignal else "sandbox"


def http_outcome(status: int, body: str) -> Outcome:
    if status == 429 or status >= 500:
        return Outcome("retry", f"http_{status}")
    return Outcome("failed", f"http_{status}: {' '.join(body.split())[:200]}")
