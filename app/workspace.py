"""Workspace-wide settings stored in the database: the delivery policy (quiet hours, caps, rate limits)."""

from __future__ import annotations

from app import audit
from app.context import AppContext
from journeys.policy import DeliveryPolicy
from storage.workspace import get_setting, put_setting

POLICY_KEY = "delivery_policy"


def load_policy(ctx: AppContext) -> DeliveryPolicy:
    with ctx.db.session() as session:
        stored = get_setting(session, key=POLICY_KEY)
    return DeliveryPolicy.model_validate(stored) if stored else DeliveryPolicy()


def save_policy(ctx: AppContext, policy: DeliveryPolicy, *, actor: str = "system") -> None:
    with ctx.db.session() as session:
        put_setting(session, key=POLICY_KEY, value=policy.model_dump(mode="json"), now=ctx.clock.now())
        audit.record(ctx, actor, "settings.save", POLICY_KEY, session=session)
