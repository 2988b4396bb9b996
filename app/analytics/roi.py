"""Revenue and honest ROI as plain data: attributed revenue per journey, variant and message, revenue per
recipient, and the uplift over a holdout (journeys/uplift.py) for the analytics page and the dashboard.

Reads through storage/revenue_queries.py; nothing here renders UI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from app.analytics.funnels import has_goal
from app.analytics.words import step_names
from app.core.context import AppContext
from app.delivery.workspace import load_revenue_policy
from journeys.revenue import CONTROL_GROUP, HOLDOUT
from journeys.uplift import Group, Interval, incremental_revenue, mean_difference, rate_difference
from storage import funnel_queries
from storage import revenue_queries as q


@dataclass
class Revenue:
    """Revenue in the workspace currency, plus amounts in currencies that had no rate (never added in)."""

    amount: float = 0.0
    conversions: int = 0
    unconverted: dict[str, float] = field(default_factory=dict)

    def add(self, found: q.Amount, currency: str) -> None:
        self.conversions += found.conversions
        if found.currency == currency:
            self.amount += found.revenue
        else:
            self.unconverted[found.currency] = self.unconverted.get(found.currency, 0.0) + found.revenue


@dataclass
class RevenueRow:
    key: str  # variant or message node id
    label: str
    revenue: Revenue
    recipients: int

    @property
    def per_recipient(self) -> float | None:
        return self.revenue.amount / self.recipients if self.recipients else None


@dataclass
class Uplift:
    """Treated contacts against the contacts held out, with 95% intervals (None when a group is too small)."""

    treated: Group
    held: Group
    rate: Interval | None
    per_contact: Interval | None
    incremental: Interval | None


@dataclass
class JourneyRoi:
    currency: str
    has_goal: bool
    revenue: Revenue
    recipients: int
    variants: list[RevenueRow]
    messages: list[RevenueRow]
    uplift: Uplift | None

    @property
    def per_recipient(self) -> float | None:
        return self.revenue.amount / self.recipients if self.recipients else None


@dataclass
class ProgrammeRoi:
    currency: str
    revenue: Revenue
    uplift: Uplift | None  # treated against the workspace control group


def uplift(groups: dict[str, q.GroupCounts], held: str) -> Uplift | None:
    """Treated ("") against ``held``; None when nobody is held out."""
    found = groups.get(held)
    if found is None or not found.entrants:
        return None
    base = groups.get("", q.GroupCounts(0, 0, 0.0, 0.0))
    treated = Group(base.entrants, base.conversions, base.revenue, base.revenue_squares)
    other = Group(found.entrants, found.conversions, found.revenue, found.revenue_squares)
    return Uplift(
        treated,
        other,
        rate_difference(treated, other),
        mean_difference(treated, other),
        incremental_revenue(treated, other),
    )


def _rows(amounts: list[q.Amount], currency: str, recipients: dict[str, int], labels: dict[str, str]) -> list:
    by_key: dict[str, Revenue] = defaultdict(Revenue)
    for found in amounts:
        by_key[str(found.key)].add(found, currency)
    keys = sorted(set(by_key) | {k for k in recipients if k})
    return [RevenueRow(k, labels.get(k, k), by_key.get(k, Revenue()), recipients.get(k, 0)) for k in keys]


def journey_roi(ctx: AppContext, journey_id: int, *, start: int | None = None, end: int | None = None) -> JourneyRoi:
    currency = load_revenue_policy(ctx).currency
    with ctx.db.engine.connect() as conn:
        _name, doc = funnel_queries.journey_document(conn, journey_id)
        amounts = q.revenue_by(conn, "variant", journey_id=journey_id, start=start, end=end)
        by_message = q.revenue_by(conn, "message", journey_id=journey_id, start=start, end=end)
        total, per_variant, per_node = q.recipients(conn, journey_id, start=start, end=end)
        groups = q.holdout_groups(conn, currency, journey_id=journey_id, start=start, end=end)
    revenue = Revenue()
    for found in amounts:
        revenue.add(found, currency)
    names = step_names(doc)
    messages = [n["id"] for n in doc.get("nodes", []) if str(n.get("type", "")).startswith("message.")]
    return JourneyRoi(
        currency=currency,
        has_goal=has_goal(doc),
        revenue=revenue,
        recipients=total,
        variants=[r for r in _rows(amounts, currency, per_variant, {}) if r.key],
        messages=[r for r in _rows(by_message, currency, per_node, names) if r.key in messages],
        uplift=uplift(groups, HOLDOUT),
    )


def programme_roi(ctx: AppContext, *, start: int, end: int) -> ProgrammeRoi:
    """Revenue attributed in [start, end) over every journey, and the workspace control group's comparison."""
    policy = load_revenue_policy(ctx)
    currency = policy.currency
    with ctx.db.engine.connect() as conn:
        amounts = q.revenue_by(conn, "journey", start=start, end=end)
        # Every enrollment of the period is read: only while the control group is on.
        groups = q.holdout_groups(conn, currency, start=start, end=end) if policy.control_group_percent else {}
    revenue = Revenue()
    for found in amounts:
        revenue.add(found, currency)
    return ProgrammeRoi(currency, revenue, uplift(groups, CONTROL_GROUP))
