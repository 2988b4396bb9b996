"""The dispatcher: drains the outbox to providers with batching, rate limits, retries and backoff.

Order of work, each step durable before the next: claim due rows with a lease; fix each row's batch key
(and so its idempotency key) in the database; send; record outcomes and step counters. A crash anywhere
re-sends at most a batch whose key the provider has already seen, which it ignores.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from app.core.context import AppContext
from app.core.gc_pause import paused_gc
from app.delivery import tracking_links
from app.delivery.provider_config import effective_settings
from app.delivery.providers import Outcome, Outgoing, Provider, route, simulated, twilio_ready
from app.delivery.providers.ratelimit import RateLimiter
from app.delivery.workspace import load_policy
from storage import enrollments as counters
from storage import funnel_log
from storage import outbox as store
from storage import quarantine as parked

log = logging.getLogger("parcours.dispatch")
RECIPIENT_FIELDS = {"external_id", "phone", "email"}
MAX_BACKOFF_S = 6 * 3600
LOCAL = {"in_app", "sandbox", simulated.NAME, simulated.REFUSED}  # answered here, no network


def build_providers(ctx: AppContext) -> dict[str, Provider]:
    from app.core.install import install_id
    from app.delivery import webhook_config
    from app.delivery.providers.onesignal import OneSignalProvider
    from app.delivery.providers.smtp import SmtpProvider
    from app.delivery.providers.twilio_sms import TwilioProvider

    s = effective_settings(ctx)
    providers: dict[str, Provider] = {"webhook": webhook_config.provider(ctx, s)}
    if s.onesignal_app_id and s.onesignal_api_key.get_secret_value():
        providers["onesignal"] = OneSignalProvider(s, install_id=install_id(ctx))
    if s.smtp_host:
        providers["smtp"] = SmtpProvider(s, install_id=install_id(ctx))
    if twilio_ready(s):
        providers["twilio"] = TwilioProvider(s)
    return providers


def content_key(row: Any) -> str:
    """Rows with equal keys have identical content and can leave in one provider request."""
    content = {k: v for k, v in row.payload.items() if k not in RECIPIENT_FIELDS}
    return row.channel + json.dumps(content, sort_keys=True, default=str)


class Dispatcher:
    def __init__(self, ctx: AppContext, providers: dict[str, Provider] | None = None) -> None:
        self.ctx = ctx
        self.settings = effective_settings(ctx)  # stored provider credentials over the environment
        self.providers = providers if providers is not None else build_providers(ctx)
        self.limiters: dict[str, RateLimiter] = {}
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dispatch")
        self.demo: dict[int, str] = {}  # outbox id -> simulated | demo_refused (app/delivery/providers/simulated.py)

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def now(self) -> int:
        return int(self.ctx.clock.now().timestamp())

    def run(self, *, max_rounds: int = 1_000) -> int:
        """Send everything due now. Returns the number of messages handled."""
        policy = load_policy(self.ctx)
        self.limiters = {name: RateLimiter(rate) for name, rate in policy.rate_limits.items()}
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            total += handled
            if handled == 0:
                break
        return total

    def run_once(self) -> int:
        with paused_gc():
            return self._round()

    def _round(self) -> int:
        now = self.now()
        s = self.settings
        with self.ctx.db.engine.begin() as conn:
            rows = store.claim(conn, now=now, limit=s.dispatch_batch_size, lease_s=s.dispatch_lease_s)
            if not rows:
                return 0
            self.demo = simulated.audiences(conn, rows)
            batches, new_keys, bad = self.group(rows)
            store.set_batch_keys(conn, new_keys)
            parked.park(conn, bad, now)
        results = self.send(batches)
        self.finish(results, {r.id: r for r in rows}, now)
        return len(rows)

    def group(self, rows: list[Any]) -> tuple[list[tuple[str, list[Outgoing]]], dict[int, str], list[parked.Parked]]:
        """Provider batches, keeping batch keys fixed earlier; returns the batches, the newly fixed keys and the
        rows that cannot be grouped (their content cannot be keyed), to be parked."""
        grouped: dict[tuple[str, str], list[Any]] = {}
        new_keys: dict[int, str] = {}
        bad: list[parked.Parked] = []
        for row in rows:
            try:  # free unless it raises
                provider, key = self._batch_of(row)
            except Exception as exc:
                bad.append(parked.Parked("outbox", row.id, parked.reason(exc)))
                continue
            grouped.setdefault((provider, key), []).append(row)
        batches: list[tuple[str, list[Outgoing]]] = []
        size = self.settings.onesignal_batch_size
        for (provider, key), members in grouped.items():
            chunks = (
                [members[i : i + size] for i in range(0, len(members), size)] if provider == "onesignal" else [members]
            )
            for chunk in chunks:
                fixed = chunk[0].batch_key if not key.startswith("content:") else chunk[0].message_id
                for row in chunk:
                    if not row.batch_key:
                        new_keys[row.id] = fixed
                batches.append((provider, [_outgoing(r, fixed) for r in chunk]))
        return batches, new_keys, bad

    def _batch_of(self, row: Any) -> tuple[str, str]:
        provider = route(self.settings, row.channel)
        demo = self.demo.get(row.id)
        if demo == simulated.REFUSED or (demo and provider != "in_app"):  # demo and real never share a provider
            return demo, row.message_id
        if provider not in self.providers and provider not in {"in_app", "sandbox"}:
            provider = "sandbox"
        if row.batch_key:
            return provider, row.batch_key
        if provider == "onesignal":
            return provider, "content:" + content_key(row)
        return provider, row.message_id

    def send(self, batches: list[tuple[str, list[Outgoing]]]) -> list[tuple[str, Outgoing, Outcome]]:
        tracking_links.decorate(self.settings, batches)
        local = [(p, b) for p, b in batches if p in LOCAL]
        remote = [(p, b) for p, b in batches if p not in LOCAL]
        results = [(p, item, _local_outcome(p, item)) for p, batch in local for item in batch]
        futures = [(p, b, self.pool.submit(self._send_batch, p, b)) for p, b in remote]
        for provider, batch, future in futures:
            results.extend((provider, item, out) for item, out in zip(batch, future.result(), strict=True))
        return results

    def _send_batch(self, provider: str, batch: list[Outgoing]) -> list[Outcome]:
        limiter = self.limiters.get(provider)
        if limiter is not None:
            limiter.acquire(1 if provider == "onesignal" else len(batch))
        try:
            return self.providers[provider].send(batch)
        except Exception as exc:  # a provider bug must not lose the batch: retry it later
            log.exception("provider %s crashed", provider)
            return [Outcome("retry", f"provider_error: {type(exc).__name__}")] * len(batch)

    def finish(self, results: list[tuple[str, Outgoing, Outcome]], claimed: dict[int, Any], now: int) -> None:
        s = self.settings
        updates, inbox, tally, bad = [], [], Counter(), []
        for provider, item, outcome in results:
            row = claimed[item.id]
            attempts = row.attempts + 1
            key = (row.journey_id, row.version_id, row.node_id, row.variant)
            if outcome.status == "sent":
                if provider == "in_app":
                    try:  # free unless it raises; e.g. an expiry that is not a number
                        inbox.append(_inbox_row(row, now))
                    except Exception as exc:
                        bad.append(parked.Parked("outbox", row.id, parked.reason(exc)))
                        continue
                status = "sandbox" if provider == "sandbox" else "sent"
                updates.append((status, provider, attempts, now, None, outcome.provider_ref, now, item.id))
                tally[(*key, "sandboxed" if provider == "sandbox" else "sent", provider)] += 1
            elif outcome.status == "retry" and attempts < s.dispatch_max_attempts:
                delay = min(s.dispatch_retry_base_s * 2 ** (attempts - 1), MAX_BACKOFF_S)
                updates.append(("pending", provider, attempts, now + delay, outcome.reason[:500], None, None, item.id))
            else:
                reason = outcome.reason if outcome.status == "failed" else f"gave up: {outcome.reason}"
                updates.append(("failed", provider, attempts, now, reason[:500], None, None, item.id))
                tally[(*key, "failed", reason.split(":")[0][:60])] += 1
        with self.ctx.db.engine.begin() as conn:
            store.record(conn, updates)
            store.store_in_app(conn, inbox)
            counters.bump_counts(conn, tally)
            funnel_log.record_dispatch(conn, claimed, updates, now)
            parked.park(conn, bad, now)


def _local_outcome(provider: str, item: Outgoing) -> Outcome:
    if provider == simulated.NAME:
        return simulated.SimulatedProvider().send([item])[0]
    if provider == simulated.REFUSED:
        return Outcome("failed", simulated.REFUSED_REASON)
    return Outcome.sent()


def _outgoing(row: Any, batch_key: str) -> Outgoing:
    return Outgoing(row.id, row.message_id, row.channel, row.contact_id, row.journey_id, dict(row.payload), batch_key)


def _inbox_row(row: Any, now: int) -> dict[str, Any]:
    content = {k: v for k, v in row.payload.items() if k not in RECIPIENT_FIELDS}
    days = int(content.get("expires_after_days") or 30)
    return {
        "message_id": row.message_id,
        "contact_id": row.contact_id,
        "journey_id": row.journey_id,
        "content": content,
        "created_at": now,
        "expires_at": now + days * 86_400,
        "read_at": None,
    }
