"""Settings from environment variables prefixed PARCOURS_ (or a .env file)."""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARCOURS_", env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DATA_DIR / 'parcours.db'}")
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Signs sessions and links. When unset, one is generated once and kept in data/secret.key.
    secret: str = Field(default="", repr=False)
    # Encrypts provider keys at rest. When unset, a key is derived from the secret above.
    encryption_key: str = Field(default="", repr=False)
    run_worker: bool = Field(default=True, description="Run the journey engine inside the web process")
    default_region: str = Field(default="FR", description="Region for phone numbers without a country code")

    # Engine and dispatcher
    engine_interval_s: float = Field(default=5.0, gt=0, description="Seconds between engine passes")
    engine_batch_size: int = Field(default=5_000, ge=1, le=100_000)
    worker_lease_s: int = Field(
        default=30, ge=3, le=86_400, description="Seconds a worker's partition leases last without renewal"
    )
    segment_refresh_s: float = Field(
        default=300.0, gt=0, description="Seconds between re-evaluations of time-based segments"
    )
    dispatch_interval_s: float = Field(default=2.0, gt=0)
    dispatch_batch_size: int = Field(default=2_000, ge=1, le=100_000)
    dispatch_max_attempts: int = Field(default=8, ge=1, le=100)
    dispatch_retry_base_s: int = Field(default=30, ge=1, description="First retry delay; doubles each attempt")
    dispatch_lease_s: int = Field(default=60, ge=1, description="A claimed message is retried after this long")
    provider_timeout_s: float = Field(default=10.0, gt=0, description="HTTP/SMTP timeout per request")
    # Providers: a channel without a configured provider goes to the visible sandbox outbox.
    onesignal_app_id: str = ""
    onesignal_api_key: SecretStr = SecretStr("")
    onesignal_host: str = "https://api.onesignal.com"
    onesignal_batch_size: int = Field(default=2_000, ge=1, le=20_000, description="Recipients per request")
    onesignal_email: bool = Field(default=False, description="Send email through OneSignal when SMTP is unset")
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "Parcours <noreply@localhost>"
    smtp_starttls: bool = False
    # Twilio SMS (outbound, and the auth token that signs its inbound webhooks). ``sms_provider`` picks the SMS
    # provider when several are configured: auto (Twilio when set, else OneSignal), twilio or onesignal.
    sms_provider: str = Field(default="auto", pattern="^(auto|twilio|onesignal)$")
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    twilio_from: str = Field(default="", description="Sender number (E.164) or Messaging Service SID (MG...)")
    twilio_api_base: str = "https://api.twilio.com"
    # A message from a number (or app user) no contact has: "drop" it, or create an "anonymous" contact.
    conversation_unknown_sender: str = Field(default="drop", pattern="^(drop|anonymous)$")
    # Signs webhooks (X-Parcours-Signature). When unset: the key an admin set or rotated in Settings, else one
    # derived from the secret with its own HKDF label.
    webhook_secret: SecretStr = SecretStr("")
    # Hosts (``host`` or ``host:port``, comma-separated) webhooks may call even on private or loopback addresses.
    webhook_allow_hosts: str = Field(default="", description="Webhook hosts allowed on private addresses")
    # Open, click and unsubscribe links in emails sent before per-purpose keys keep working while this is true.
    legacy_link_tokens: bool = Field(default=True, description="Accept email links signed with the old key")
    # Tracking: the address recipients reach this server at (open pixels, click and unsubscribe links).
    public_url: str = Field(default="", description="External base URL, e.g. https://parcours.example.com")
    # When set, OneSignal event webhooks must carry it (header X-Parcours-Token or ?token=).
    onesignal_webhook_token: SecretStr = SecretStr("")

    # Session cookie only over HTTPS. Unset: on when the public URL is https.
    secure_cookies: bool | None = Field(default=None, description="Send the session cookie over HTTPS only")

    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def secure_cookies_enabled(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return self.public_url.lower().startswith("https://")

    # GDPR: inbound SMS webhook secret (HMAC-SHA256 of the raw body, or the secret itself as a token),
    # erasure and retention. Retention 0 keeps data forever.
    sms_inbound_secret: SecretStr = SecretStr("")
    sms_help_text: str = "Parcours: reply STOP to unsubscribe from our text messages."
    sms_stop_text: str = "You are unsubscribed and will receive no more text messages. Reply START to resubscribe."
    erase_blocks_recreation: bool = Field(default=True, description="Erased identifiers cannot come back")
    retention_events_days: int = Field(default=0, ge=0, description="Delete raw events older than this (0 = keep)")
    retention_messages_days: int = Field(default=0, ge=0, description="Blank message bodies older than this")

    def resolved_secret(self) -> str:
        if self.secret:
            return self.secret
        path = DATA_DIR / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, secrets.token_urlsafe(48))
        return path.read_text(encoding="utf-8").strip()


def write_private(path: Path, text: str) -> None:
    """Create ``path`` readable by its owner only, whole, from the first byte on; an existing file is kept.

    The text goes to a private temporary file (mode set by the creating call, never by a later chmod) that is
    then hard-linked into place: two processes starting together cannot both write a different secret, and
    no reader ever sees a half-written file.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        with suppress(FileExistsError):  # another process won the race: its secret is the one to keep
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
