"""A Twilio-compatible Messages API on loopback, which can also text back like a phone through Twilio.

``POST /2010-04-01/Accounts/{sid}/Messages.json`` (form-encoded ``To``, ``From`` or ``MessagingServiceSid``,
``Body``, HTTP Basic auth with the account SID and auth token) answers 201 with a message resource, or 401 on
wrong credentials. ``reply`` posts an inbound message to a webhook the way Twilio does: form-encoded, signed
with ``X-Twilio-Signature`` computed by the official package's RequestValidator from the auth token.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any
from urllib.parse import parse_qs

import httpx
from twilio.request_validator import RequestValidator

from tests.stub_servers import RecordingServer


class TwilioStub(RecordingServer):
    def __init__(self, account_sid: str, auth_token: str, number: str = "+33700000000") -> None:
        super().__init__()
        self.account_sid, self.auth_token, self.number = account_sid, auth_token, number
        self.sent: list[dict[str, str]] = []

    def success(self, record: dict[str, Any]) -> tuple[int, Any, float]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if record["headers"].get("Authorization") != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}, 0.0
        if not record["path"].startswith(f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"):
            return 404, {"code": 20404, "message": "not found", "status": 404}, 0.0
        form = {k: v[0] for k, v in parse_qs(record["raw"].decode()).items()}
        if not form.get("To") or not form.get("Body"):
            return 400, {"code": 21604, "message": "'To' and 'Body' are required", "status": 400}, 0.0
        sid = "SM" + uuid.uuid4().hex
        with self.lock:
            self.sent.append({**form, "sid": sid})
        answer = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": form["To"],
            "from": form.get("From"),
            "body": form["Body"],
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
        }
        return 201, answer, 0.0

    def texts_to(self, phone: str) -> list[str]:
        with self.lock:
            return [m["Body"] for m in self.sent if m["To"] == phone]

    def reply(self, url: str, sender: str, body: str, *, token: str | None = None) -> httpx.Response:
        """Post ``body`` from ``sender`` to the inbound webhook at ``url``, signed with ``token`` (default: ours)."""
        params, headers = self.signed(url, sender, body, token=token)
        return httpx.post(url, data=params, headers=headers, timeout=10)

    def signed(self, url: str, sender: str, body: str, *, token: str | None = None) -> tuple[dict, dict]:
        """Twilio's form fields for an inbound text and the headers that sign them for ``url``."""
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": self.account_sid,
            "From": sender,
            "To": self.number,
            "Body": body,
            "NumMedia": "0",
        }
        signature = RequestValidator(token or self.auth_token).compute_signature(url, params)
        return params, {"X-Twilio-Signature": signature}
