"""Signatures of inbound message webhooks: Twilio's ``X-Twilio-Signature`` (checked by the official package
with the account's auth token) and Parcours' generic ``X-Parcours-Signature`` (HMAC-SHA256 of the raw body)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator

from app.core.settings import Settings
from app.engagement import sms_inbound


def signed_url(settings: Settings, request_url: str, path_and_query: str) -> str:
    """The URL Twilio signed: the public URL when one is set (Twilio calls it, not the proxy's inner address)."""
    return settings.public_url.rstrip("/") + path_and_query if settings.public_url else request_url


def twilio_form(raw: bytes) -> dict[str, str]:
    """Twilio's form fields; a repeated field keeps its first value, as Twilio never repeats them."""
    fields: dict[str, str] = {}
    for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


def twilio_authentic(settings: Settings, url: str, form: dict[str, str], signature: str | None) -> bool:
    token = settings.twilio_auth_token.get_secret_value()
    if not token or not signature:
        return False
    return bool(RequestValidator(token).validate(url, form, signature))


def generic_authentic(settings: Settings, raw: bytes, signature: str | None) -> bool:
    """HMAC-SHA256 of the raw body with the inbound SMS secret (a bare token is not enough here)."""
    return bool(signature) and sms_inbound.authentic(
        settings.sms_inbound_secret.get_secret_value(), raw, signature, None
    )


def generic_fields(raw: bytes) -> dict[str, Any] | None:
    """``{"from", "text", "id"}`` of a generic inbound message, or None when the body is not a JSON object."""
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
