"""Webhooks: an HTTP request with an HMAC-SHA256 signature of the body, cut by a timeout.

Every call goes through the address guard (app/delivery/outbound.py) after its URL was rendered: the host is resolved
once, each address checked, and the connection made to that checked address with the original Host and TLS
server name. Redirects are never followed, and at most ``MAX_BODY_BYTES`` of an error answer is read and kept.

``X-Parcours-Signature`` is ``sha256=<hex>`` of ``<timestamp>.<body>``; during a key rotation it carries one
signature per active key, comma-separated (``sha256=<new>,sha256=<old>``): accept the call if any matches.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable

import httpx

from app.access import keys
from app.core.settings import Settings
from app.delivery.outbound import Guard, Refused, Target, Unresolved, build_guard, parse_allowlist
from app.delivery.providers import Outcome, Outgoing, http_outcome
from journeys.nodes.webhook import header_problem

MAX_BODY_BYTES = 512
CONFIG_TTL_S = 30.0  # a rotated key or an edited allow-list is picked up this soon, without a restart
NAMESPACE = uuid.UUID("0b8f6b1e-51c4-4a3e-9c57-5d2b8e6f4a21")
Config = tuple[list[str], Guard]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signatures(secrets: list[str], timestamp: str, body: bytes) -> str:
    return ",".join(signature(secret, timestamp, body) for secret in secrets)


def idempotency_key(install_id: str, message_id: str) -> str:
    """Stable for one message of one install; different across installs that share a receiver."""
    return str(uuid.uuid5(NAMESPACE, f"{install_id}:{message_id}"))


def _static_config(settings: Settings) -> Callable[[], Config]:
    secret = settings.webhook_secret.get_secret_value() or keys.default_webhook_secret(settings)
    try:
        allow = parse_allowlist(settings.webhook_allow_hosts.replace(",", " ").split())
    except ValueError:
        allow = []
    static = ([secret], build_guard(settings, allow))
    return lambda: static


class WebhookProvider:
    name = "webhook"

    def __init__(
        self,
        settings: Settings,
        clock_now: Callable[[], float] | None = None,
        *,
        config: Callable[[], Config] | None = None,
        install_id: str = "",
    ) -> None:
        self.client = httpx.Client(timeout=settings.provider_timeout_s, follow_redirects=False)
        self.clock_now = clock_now
        self.install_id = install_id
        self._source = config or _static_config(settings)
        self._config: Config | None = None
        self._loaded_at = 0.0

    def config(self) -> Config:
        if self._config is None or time.monotonic() - self._loaded_at > CONFIG_TTL_S:
            self._config, self._loaded_at = self._source(), time.monotonic()
        return self._config

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        secrets, guard = self.config()
        return [self._send_one(item, secrets, guard) for item in batch]

    def _send_one(self, item: Outgoing, secrets: list[str], guard: Guard) -> Outcome:
        payload = item.payload
        extra = dict(payload.get("headers") or {})
        refused = next((p for p in (header_problem(k, str(v)) for k, v in extra.items()) if p), None)
        if refused:  # versions published before headers were checked
            return Outcome("failed", f"header_refused: {refused}")
        try:
            target = guard.check(str(payload.get("url") or ""))
        except Unresolved as exc:
            return Outcome("retry", f"dns: {exc}")
        except Refused as exc:
            return Outcome("failed", f"address_refused: {exc}")
        body = payload.get("body", "").encode()
        timestamp = str(int(self.clock_now())) if self.clock_now else "0"
        headers = {
            **extra,
            "Host": target.host_header,
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key(self.install_id, item.message_id),
            "X-Parcours-Message-Id": item.message_id,
            "X-Parcours-Timestamp": timestamp,
            "X-Parcours-Signature": signatures(secrets, timestamp, body),
        }
        return self._call(target, payload.get("method", "POST"), body, headers)

    def _call(self, target: Target, method: str, body: bytes, headers: dict[str, str]) -> Outcome:
        request = self.client.build_request(
            method, target.connect_url, content=body, headers=headers, extensions=target.extensions
        )
        try:
            response = self.client.send(request, stream=True)
        except httpx.TimeoutException:
            return Outcome("retry", "timeout")
        except (httpx.HTTPError, ValueError) as exc:
            return Outcome("retry", f"transport: {type(exc).__name__}")
        try:
            status = response.status_code
            if 200 <= status < 300:
                return Outcome.sent(str(status))
            if 300 <= status < 400:
                location = " ".join(response.headers.get("location", "").split())[:200]
                return Outcome("failed", f"redirect_refused: http_{status} to {location or '(no location)'}")
            return http_outcome(status, _head(response))
        finally:
            response.close()


def _head(response: httpx.Response) -> str:
    """At most MAX_BODY_BYTES of the answer, so a huge or hostile error body is neither read nor stored."""
    kept = b""
    try:
        for chunk in response.iter_bytes():
            kept += chunk[: MAX_BODY_BYTES - len(kept)]
            if len(kept) >= MAX_BODY_BYTES:
                break
    except httpx.HTTPError:
        pass
    return kept.decode("utf-8", "replace")
