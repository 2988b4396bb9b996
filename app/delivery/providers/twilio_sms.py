"""Twilio SMS through the official client (``twilio``): one Messages request per text.

Twilio has no idempotency key for outbound messages, so a request whose answer never came (a read timeout) is
failed rather than retried: a person receiving the same text twice is worse than one missed. Requests that
surely did not leave (connection refused) and 429/5xx answers are retried by the dispatcher.
"""

from __future__ import annotations

import logging

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from app.core.settings import Settings
from app.delivery.providers import Outcome, Outgoing, http_outcome

log = logging.getLogger("parcours.twilio")
TWILIO_API = "https://api.twilio.com"


def client(settings: Settings) -> Client:
    """A Twilio client for these credentials, talking to ``twilio_api_base`` (Twilio, or a compatible stub)."""
    http = TwilioHttpClient(timeout=settings.provider_timeout_s, max_retries=0)
    twilio = Client(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(), http_client=http)
    twilio.api.base_url = (settings.twilio_api_base or TWILIO_API).rstrip("/")
    return twilio


class TwilioProvider:
    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        self.client = client(settings)
        self.sender = settings.twilio_from.strip()

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        return [self.send_one(message) for message in batch]

    def send_one(self, message: Outgoing) -> Outcome:
        to = str(message.payload.get("phone") or "")
        if not to:
            return Outcome("failed", "no_phone")
        sender = {"messaging_service_sid": self.sender} if self.sender.startswith("MG") else {"from_": self.sender}
        try:
            answer = self.client.messages.create(to=to, body=str(message.payload.get("body") or ""), **sender)
        except TwilioRestException as exc:
            return http_outcome(int(exc.status or 0), f"{exc.code or ''} {exc.msg or ''}")
        except requests.ConnectionError as exc:
            if isinstance(exc, requests.exceptions.ConnectTimeout) or _never_left(exc):
                return Outcome("retry", f"transport: {type(exc).__name__}")
            return Outcome("failed", "transport: no answer, not retried to avoid a duplicate text")
        except requests.Timeout:
            return Outcome("failed", "timeout: no answer, not retried to avoid a duplicate text")
        except Exception as exc:  # a 2xx body that is not a message resource
            log.warning("Twilio answer unreadable: %s", type(exc).__name__)
            return Outcome("failed", "malformed_response")
        sid = getattr(answer, "sid", None)
        return Outcome.sent(sid) if sid else Outcome("failed", "malformed_response")


def _never_left(exc: requests.ConnectionError) -> bool:
    text = str(exc)
    return "Connection refused" in text or "NewConnectionError" in text or "Name or service not known" in text
