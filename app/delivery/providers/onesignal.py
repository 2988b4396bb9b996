"""OneSignal push, SMS and email through the official client (``onesignal-python-api``).

Messages sharing a batch key have identical content and leave as one notification to all their external
ids. The idempotency key is derived from the batch key, which is fixed before the request leaves, so a
resend after a crash or a timeout is recognised by OneSignal and never delivered twice; and from the install
id (app/core/install.py), so another install sharing the OneSignal app never sends the same key.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import onesignal
from onesignal.api import default_api
from onesignal.exceptions import ApiException
from onesignal.model.notification import Notification

from app.core.settings import Settings
from app.delivery.providers import Outcome, Outgoing, http_outcome

log = logging.getLogger("parcours.onesignal")
NAMESPACE = uuid.UUID("6f1d2c1e-7a43-4c55-9a1c-2f0c5e9f7b10")


def idempotency_key(batch_key: str, install_id: str) -> str:
    """Stable for one batch of one install (retries are recognised), distinct across installs sharing an app."""
    return str(uuid.uuid5(NAMESPACE, f"{install_id}:{batch_key}"))


class OneSignalProvider:
    name = "onesignal"

    def __init__(self, settings: Settings, *, install_id: str) -> None:
        self.install_id = install_id
        config = onesignal.Configuration(
            host=settings.onesignal_host.rstrip("/"), rest_api_key=settings.onesignal_api_key.get_secret_value()
        )
        config.retries = 0  # retries are ours, with backoff and the same idempotency key
        config.connection_pool_maxsize = 16
        self.api = default_api.DefaultApi(onesignal.ApiClient(config))
        self.app_id = settings.onesignal_app_id
        self.timeout = settings.provider_timeout_s

    def notification(self, batch: list[Outgoing]) -> Notification:
        first = batch[0]
        payload, channel = first.payload, first.channel
        fields: dict[str, Any] = {
            "app_id": self.app_id,
            "idempotency_key": idempotency_key(first.batch_key, self.install_id),
            "include_aliases": {"external_id": [m.payload["external_id"] for m in batch]},
            "target_channel": channel,
        }
        if channel == "push":
            fields["contents"] = {"en": payload["body"]}
            if payload.get("title"):
                fields["headings"] = {"en": payload["title"]}
            if payload.get("url"):
                fields["url"] = payload["url"]
        elif channel == "sms":
            fields["contents"] = {"en": payload["body"]}
        else:
            fields["email_subject"] = payload["subject"]
            fields["email_body"] = payload["body"]
        return Notification(**fields)

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        try:
            answer = self.api.create_notification(self.notification(batch), _request_timeout=self.timeout)
        except ApiException as exc:
            outcome = http_outcome(int(exc.status or 0), str(exc.body or exc.reason or ""))
            return [outcome] * len(batch)
        except Exception as exc:  # timeouts, refused connections, bodies that are not the documented JSON
            log.warning("OneSignal request failed: %s", type(exc).__name__)
            return [Outcome("retry", f"transport: {type(exc).__name__}")] * len(batch)
        try:
            return self._read(answer, batch)
        except Exception:  # a 200 whose JSON is not a notification answer
            return [Outcome("retry", "malformed_response")] * len(batch)

    def _read(self, answer: Any, batch: list[Outgoing]) -> list[Outcome]:
        ref = getattr(answer, "id", None) or None
        errors = getattr(answer, "errors", None)
        if not ref:
            reason = "not_subscribed" if errors else "malformed_response"
            return [Outcome("failed" if errors else "retry", reason)] * len(batch)
        invalid: set[str] = set()
        if isinstance(errors, dict):
            invalid = set((errors.get("invalid_aliases") or {}).get("external_id") or [])
        return [
            Outcome("failed", "invalid_external_id") if m.payload["external_id"] in invalid else Outcome.sent(ref)
            for m in batch
        ]
