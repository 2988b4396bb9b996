"""Email over SMTP (stdlib smtplib), one connection per dispatched batch. Credentials come from settings."""

from __future__ import annotations

import contextlib
import email.policy
import re
import smtplib
from email.message import EmailMessage
from email.utils import parseaddr

from app.core.settings import Settings
from app.delivery.providers import Outcome, Outgoing


def message_id(outbox_id: str, install_id: str, sender: str = "") -> str:
    """``<outbox id.install id@sender domain>``: the same for every retry of one message of one install."""
    local = re.sub(r"[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]", "-", f"{outbox_id}.{install_id or 'local'}")
    domain = re.sub(r"[^A-Za-z0-9.-]", "", parseaddr(sender)[1].rpartition("@")[2]) or "parcours"
    return f"<{local}@{domain}>"


class SmtpProvider:
    name = "smtp"

    def __init__(self, settings: Settings, *, install_id: str = "") -> None:
        self.settings = settings
        self.install_id = install_id

    def _message(self, item: Outgoing) -> EmailMessage:
        payload = item.payload
        # Long header values (List-Unsubscribe URLs) must stay plain text, not be RFC 2047 encoded.
        message = EmailMessage(policy=email.policy.default.clone(max_line_length=998))
        message["From"] = self.settings.smtp_from
        message["To"] = payload["email"]
        message["Subject"] = payload["subject"]
        # A stable Message-ID lets receiving systems drop a resend after a crash; the install id keeps two
        # installs (staging and production) from ever sending the same one.
        message["Message-ID"] = message_id(item.message_id, self.install_id, self.settings.smtp_from)
        message["X-Parcours-Message-Id"] = item.message_id
        if payload.get("preheader"):
            message["X-Preheader"] = payload["preheader"]
        for name, value in (payload.get("headers") or {}).items():  # List-Unsubscribe, added at send time
            message[name] = value
        message.set_content("This message needs an HTML-capable mail reader.")
        message.add_alternative(payload["body"], subtype="html")
        return message

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.provider_timeout_s)
        if s.smtp_starttls:
            client.starttls()
        if s.smtp_username:
            client.login(s.smtp_username, s.smtp_password.get_secret_value())
        return client

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return [Outcome("retry", f"smtp_connect: {type(exc).__name__}")] * len(batch)
        outcomes: list[Outcome] = []
        try:
            for item in batch:
                outcomes.append(self._send_one(client, item))
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()
        return outcomes

    def _send_one(self, client: smtplib.SMTP, item: Outgoing) -> Outcome:
        try:
            client.send_message(self._message(item))
        except smtplib.SMTPRecipientsRefused:
            return Outcome("failed", "recipient_refused")
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                return Outcome("retry", f"smtp_{exc.smtp_code}")
            return Outcome("failed", f"smtp_{exc.smtp_code}")
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            return Outcome("retry", f"smtp: {type(exc).__name__}")
        return Outcome.sent()
