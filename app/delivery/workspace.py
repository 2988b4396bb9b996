"""Workspace-wide settings stored in the database: the delivery policy (quiet hours, caps, rate limits) and
the consent policy (the lawful basis per channel) and the revenue policy (currency, rates, control group), each
under its own key so one form never resets the other."""

from __future__ import annotations

from app.access import audit
from app.core.context import AppContext
from journeys.policy import ConsentPolicy, DeliveryPolicy
from journeys.revenue import RevenuePolicy
from storage.workspace import get_setting, put_setting

POLICY_KEY = "delivery_policy"
CONSENT_KEY = "consent_policy"
REVENUE_KEY = "revenue_policy"


def load_policy(ctx: AppContext) -> DeliveryPolicy:
    """The delivery policy with the workspace's consent policy inside it (what the engine applies)."""
    with ctx.db.session() as session:
        stored = get_setting(session, key=POLICY_KEY) or {}
        consent = get_setting(session, key=CONSENT_KEY) or {}
        revenue = get_setting(session, key=REVENUE_KEY) or {}
    stored.pop("consent", None)
    stored.pop("revenue", None)
    return DeliveryPolicy.model_validate({**stored, "consent": consent, "revenue": revenue})


def load_consent_policy(ctx: AppContext) -> ConsentPolicy:
    with ctx.db.session() as session:
        stored = get_setting(session, key=CONSENT_KEY)
    return ConsentPolicy.model_validate(stored or {})


def save_policy(ctx: AppContext, policy: DeliveryPolicy, *, actor: str = "system") -> None:
    """Store quiet hours, caps, rate limits and time zone; the consent policy is saved by save_consent_policy."""
    with ctx.db.session() as session:
        value = policy.model_dump(mode="json", exclude={"consent", "revenue"})
        put_setting(session, key=POLICY_KEY, value=value, now=ctx.clock.now())
        audit.record(ctx, actor, "settings.save", POLICY_KEY, session=session)


def load_revenue_policy(ctx: AppContext) -> RevenuePolicy:
    with ctx.db.session() as session:
        stored = get_setting(session, key=REVENUE_KEY)
    return RevenuePolicy.model_validate(stored or {})


def save_revenue_policy(ctx: AppContext, policy: RevenuePolicy, *, actor: str) -> None:
    """Store the workspace currency, exchange rates and control group share, audited."""
    with ctx.db.session() as session:
        value = policy.model_dump(mode="json")
        put_setting(session, key=REVENUE_KEY, value=value, now=ctx.clock.now())
        audit.record(ctx, actor, "settings.revenue", REVENUE_KEY, session=session)


def save_consent_policy(ctx: AppContext, policy: ConsentPolicy, *, actor: str) -> dict[str, str]:
    """Store the consent policy and audit each channel whose basis changed (``channel: old -> new``)."""
    with ctx.db.session() as session:
        before = ConsentPolicy.model_validate(get_setting(session, key=CONSENT_KEY) or {}).model_dump()
        after = policy.model_dump()
        changes = {ch: f"{before[ch]} -> {after[ch]}" for ch in after if before[ch] != after[ch]}
        if changes:
            put_setting(session, key=CONSENT_KEY, value=after, now=ctx.clock.now())
            audit.record(ctx, actor, "settings.consent", CONSENT_KEY, changes, session=session)
    return changes
