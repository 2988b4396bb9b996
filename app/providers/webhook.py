"""Webhooks: an HTTP request with an HMAC-SHA256 signature of the body, cut by a timeout."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import httpx

from app.providers import Outcome, Outgoing, http_outcome
from app.settings import Settings


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookProvider:
    name = "webhook"

    def __init__(self, settings: Settings, clock_now: Callable[[], float] | None = None) -> None:
        self.secret = settings.webhook_secret.get_secret_value() or settings.resolved_secret()
        self.client = httpx.Client(timeout=settings.provider_timeout_s, follow_redirects=False)
        self.clock_now = clock_now

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        return [self._send_one(item) for item in batch]

    def _send_one(self, item: Outgoing) -> Outcome:
        payload = item.payload
        body = payload.get("body", "").encode()
        timestamp = str(int(self.clock_now())) if self.clock_now else "0"
        headers = {
            **payload.get("headers", {}),
            "Content-Type": "application/json",
            "Idempotency-Key": item.message_id,
            "X-Parcours-Timestamp": timestamp,
            "X-Parcours-Signature": signature(self.secret, timestamp, body),
        }
        try:
            response = self.client.request(payload.get("method", "POST"), payload["url"], content=body, headers=headers)
        except httpx.TimeoutException:
            return Outcome("retry", "timeout")
        except (httpx.HTTPError, ValueError) as exc:
            return Outcome("retry", f"transport: {type(exc).__name__}")
        if 200 <= response.status_code < 300:
            return Outcome.sent(str(response.status_code))
        return http_outcome(response.status_code, response.text)
