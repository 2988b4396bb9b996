"""One webhook delivery from a shop: signature, de-duplication, mapping, ingestion, and its line in the log.

Order of checks: the secret must be set and the body signed with it (401), the delivery must carry its id
(400), the body must be JSON (400), an unknown topic is acknowledged (200, nothing stored), the payload is
mapped without writing anything (400 naming the field), the delivery id is claimed (409 for one already
accepted), then the messages are ingested in one transaction. A failure after the claim frees the id again,
so the shop's retry is processed. Every outcome is logged (without payload content) for the settings page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError

from app.core.context import AppContext
from app.integrations import config
from app.integrations.people import Ignored, ShopError
from app.tracking.service import IngestError, ingest
from storage import integrations as store

# The log keeps 30 days of deliveries (shops stop retrying after 48 hours), pruned every 500th delivery.
KEEP_S = 30 * 86_400
PRUNE_EVERY = 500


@dataclass
class Plan:
    """What a delivery asks for: messages to ingest, and/or an action (privacy requests); ``note`` is logged."""

    messages: list[Any] = field(default_factory=list)
    action: Callable[[AppContext], str] | None = None
    note: str = ""


Mapper = Callable[[AppContext, dict[str, Any]], Plan]


@dataclass
class Delivery:
    integration: str
    topic: str
    delivery_id: str | None
    raw: bytes
    signature: str | None
    id_header: str  # the header that carries the delivery id, named in a refusal
    shop: str | None = None  # the shop the delivery says it comes from
    shop_header: str = ""


@dataclass
class Answer:
    status: int
    body: dict[str, Any]


def signed(secret: str | None, raw: bytes, signature: str | None) -> bool:
    """``signature`` is base64(HMAC-SHA256(secret, raw body)), as Shopify and WooCommerce both sign."""
    if not secret or not signature:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest())
    return hmac.compare_digest(signature.strip().encode("utf-8", "replace"), expected)


def _same_shop(expected: str, given: str) -> bool:
    """True when no shop is set (the secret alone decides) or the delivery names that shop."""
    try:
        return not expected or config.normalise_shop(given) == expected
    except ValueError:
        return False


def parse(raw: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ShopError("body", "not valid JSON") from None
    if not isinstance(data, dict):
        raise ShopError("body", "must be a JSON object")
    return data


def receive(ctx: AppContext, delivery: Delivery, mappers: dict[str, Mapper]) -> Answer:
    """Check, map and store one delivery; the answer to send back."""
    expected = config.receiving(ctx, delivery.integration)
    if not signed(expected.secret, delivery.raw, delivery.signature):
        return _refuse(ctx, delivery, 401, "signature", "invalid or missing signature")
    if delivery.shop and not _same_shop(expected.shop, delivery.shop):
        return _refuse(ctx, delivery, 401, delivery.shop_header, "not the shop set in Settings")
    if not delivery.delivery_id:
        return _refuse(ctx, delivery, 400, delivery.id_header, "required (the delivery id)")
    mapper = mappers.get(delivery.topic)
    if mapper is None:
        _log(ctx, delivery, 200, "ignored: unknown topic")
        return Answer(200, {"ok": True, "ignored": True, "detail": f"topic {delivery.topic[:80]!r} is not used"})
    try:
        plan = mapper(ctx, parse(delivery.raw))
    except ShopError as exc:
        return _refuse(ctx, delivery, 400, exc.field, exc.message)
    except ValidationError as exc:  # a value our message models refuse (an over-long id or name)
        error = exc.errors()[0]
        return _refuse(ctx, delivery, 400, ".".join(str(p) for p in error["loc"]) or "body", error["msg"])
    except Ignored as exc:
        _log(ctx, delivery, 200, str(exc))
        return Answer(200, {"ok": True, "ignored": True, "detail": str(exc)})
    with ctx.db.write_session() as session:
        row = store.claim_delivery(
            session,
            integration=delivery.integration,
            delivery_id=delivery.delivery_id,
            topic=delivery.topic,
            now=_now(ctx),
        )
        _prune(ctx, session, row)
    if row is None:
        return _refuse(ctx, delivery, 409, delivery.id_header, "already received (a replay)")
    return _apply(ctx, delivery, plan, row)


def _apply(ctx: AppContext, delivery: Delivery, plan: Plan, row: int) -> Answer:
    try:
        stored = ingest(ctx, plan.messages).stored if plan.messages else 0
        note = plan.action(ctx) if plan.action else plan.note
    except IngestError as exc:
        first = exc.problems[0]
        _settle(ctx, row, 400, f"{first['field']}: {first['message']}", keep_id=False)
        return Answer(400, {"detail": f"{first['field']}: {first['message']}", "errors": exc.problems})
    except BaseException:
        _settle(ctx, row, 500, "internal error", keep_id=False)
        raise
    if note:
        _settle(ctx, row, 200, note, keep_id=True)
    return Answer(200, {"ok": True, "stored": stored, **({"detail": note} if note else {})})


def _refuse(ctx: AppContext, delivery: Delivery, status: int, field_name: str, message: str) -> Answer:
    detail = f"{field_name}: {message}"
    _log(ctx, delivery, status, detail)
    return Answer(status, {"detail": detail, "field": field_name})


def _log(ctx: AppContext, delivery: Delivery, status: int, reason: str) -> None:
    with ctx.db.write_session() as session:
        row = store.log_delivery(
            session, integration=delivery.integration, topic=delivery.topic, status=status, reason=reason, now=_now(ctx)
        )
        _prune(ctx, session, row)


def _prune(ctx: AppContext, session: Any, row: int | None) -> None:
    if row is not None and row % PRUNE_EVERY == 0:
        store.forget_deliveries(session, before=_now(ctx) - KEEP_S)


def _settle(ctx: AppContext, row: int, status: int, reason: str, *, keep_id: bool) -> None:
    with ctx.db.write_session() as session:
        store.settle_delivery(session, row_id=row, status=status, reason=reason, keep_id=keep_id)


def _now(ctx: AppContext) -> int:
    return int(ctx.clock.now().timestamp())
