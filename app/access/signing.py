"""Signed tokens for links that leave Parcours (tracking pixels, click redirects, unsubscribe, preferences).

A token is base64url(JSON payload) + "." + base64url(HMAC-SHA256), keyed by the workspace secret and a
purpose, so a token made for one purpose is useless for another and nothing can be forged or enumerated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, body: str) -> str:
    key = hashlib.sha256(f"parcours:{purpose}:{secret}".encode()).digest()
    return _b64(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def sign(secret: str, purpose: str, payload: dict[str, Any]) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(secret, purpose, body)}"


def verify(secret: str, purpose: str, token: str) -> dict[str, Any] | None:
    """The payload of a genuine token for this purpose, else None (never raises on garbage)."""
    body, _, mac = token.partition(".")
    if not body or not mac or len(token) > 4096:
        return None
    if not hmac.compare_digest(mac, _mac(secret, purpose, body)):
        return None
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None
