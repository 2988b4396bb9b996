"""Provider credentials: what an admin stored (encrypted) in Settings → Providers, else the environment.

``FIELDS`` lists every value the Providers form edits, with the Settings attribute it overrides and whether it
is a secret (a secret is shown only as its masked tail, and is never sent back to the browser).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from app.access import secrets
from app.core.context import AppContext
from app.core.settings import Settings


@dataclass(frozen=True)
class Field:
    name: str  # stored secret name and Settings attribute
    label: str  # translation key of its label
    secret: bool  # masked in the UI (API keys, passwords)
    number: bool = False


FIELDS: tuple[Field, ...] = (
    Field("onesignal_app_id", "providers.onesignal_app_id", secret=False),
    Field("onesignal_api_key", "providers.onesignal_api_key", secret=True),
    Field("onesignal_host", "providers.onesignal_host", secret=False),
    Field("smtp_host", "providers.smtp_host", secret=False),
    Field("smtp_port", "providers.smtp_port", secret=False, number=True),
    Field("smtp_username", "providers.smtp_username", secret=False),
    Field("smtp_password", "providers.smtp_password", secret=True),
    Field("smtp_from", "providers.smtp_from", secret=False),
    Field("sms_provider", "providers.sms_provider", secret=False),
    Field("twilio_account_sid", "providers.twilio_account_sid", secret=False),
    Field("twilio_auth_token", "providers.twilio_auth_token", secret=True),
    Field("twilio_from", "providers.twilio_from", secret=False),
    Field("twilio_api_base", "providers.twilio_api_base", secret=False),
    Field("conversation_unknown_sender", "providers.conversation_unknown_sender", secret=False),
)  # the webhook signing secret has its own section (set, reveal, rotate): app/delivery/webhook_keys.py
BY_NAME = {f.name: f for f in FIELDS}
SMS_PROVIDERS = ("auto", "twilio", "onesignal")
CHOICES = {"sms_provider": SMS_PROVIDERS, "conversation_unknown_sender": ("drop", "anonymous")}
# The translation key of each choice, by field and choice.
CHOICE_KEYS: dict[tuple[str, str], str] = {
    ("sms_provider", "auto"): "providers.sms_provider.auto",
    ("sms_provider", "twilio"): "providers.sms_provider.twilio",
    ("sms_provider", "onesignal"): "providers.sms_provider.onesignal",
    ("conversation_unknown_sender", "drop"): "providers.conversation_unknown_sender.drop",
    ("conversation_unknown_sender", "anonymous"): "providers.conversation_unknown_sender.anonymous",
}


def default(name: str) -> str:
    """What a choice field means while nothing is stored (its first choice); "" for other fields."""
    return CHOICES[name][0] if name in CHOICES else ""


def stored_value(ctx: AppContext, name: str) -> str | None:
    """The stored value of a provider field (decrypted), or None when it falls back to the environment."""
    try:
        return secrets.reveal(ctx, name)
    except secrets.SecretError:
        return None  # the encryption key changed: fall back to the environment until re-entered


def effective_settings(ctx: AppContext) -> Settings:
    """The settings with every stored provider value applied over the environment's."""
    updates: dict[str, object] = {}
    for field in FIELDS:
        value = stored_value(ctx, field.name)
        if value is None:
            continue
        if field.number:
            if value.isdigit():
                updates[field.name] = int(value)
        elif field.secret:
            updates[field.name] = SecretStr(value)
        else:
            updates[field.name] = value
    return ctx.settings.model_copy(update=updates) if updates else ctx.settings


def save(ctx: AppContext, name: str, value: str, *, actor: str) -> str:
    """Store one field encrypted (validated first); returns what the UI may show (masked for secrets)."""
    field = BY_NAME[name]
    value = value.strip()
    if field.number and not (value.isdigit() and 1 <= int(value) <= 65535):
        raise secrets.SecretError(f"{name}: a port number between 1 and 65535 is required")
    if name in CHOICES and value not in CHOICES[name]:
        raise secrets.SecretError(f"{name}: one of {', '.join(CHOICES[name])}")
    masked = secrets.save(ctx, name, value, actor=actor)
    return masked if field.secret else value


def shown(ctx: AppContext, name: str) -> str:
    """What the form shows for a field: the masked tail of a secret, the plain value otherwise, "" if unset."""
    if BY_NAME[name].secret:
        return secrets.masked(ctx, name) or ""
    return stored_value(ctx, name) or ""
