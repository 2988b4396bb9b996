"""What the analytics pages say in words: step names, time-axis labels, skip reasons and experiment verdicts.

Pure text helpers over plain data (no UI, no database), in the current language through ``app.i18n.t``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.i18n import t
from components.canvas_view import node_summary
from journeys.document import Node
from journeys.metrics import DAY, HOUR
from journeys.nodes import REGISTRY

if TYPE_CHECKING:
    from app.analytics.funnels import VariantRow

# Where a manager (or the marketer they forward it to) fixes each reason a message was not sent.
# Skip reason code -> (its words, the link text to the fix, the page that fixes it); literal keys a test can list.
SKIP_REASONS = {
    "no_consent": ("analytics.reason.no_consent", "analytics.fix.no_consent", "/settings"),
    "unsubscribed": ("analytics.reason.unsubscribed", "analytics.fix.unsubscribed", "/contacts"),
    "no_address": ("analytics.reason.no_address", "analytics.fix.no_address", "/contacts"),
    "quiet_hours": ("analytics.reason.quiet_hours", "analytics.fix.quiet_hours", "/settings"),
    "frequency_cap": ("analytics.reason.frequency_cap", "analytics.fix.frequency_cap", "/settings"),
    "control": ("analytics.reason.control", "", ""),
    "holdout": ("roi.reason.holdout", "", ""),
    "control_group": ("roi.reason.control_group", "", ""),
}
# Verdicts need this much certainty either way (the same 95% the experiment decision uses).
CONFIDENT = 0.95


def _translated(key: str, fallback: str) -> str:
    text = t(key)
    return fallback if text == key else text


def step_name(node: dict[str, Any]) -> str:
    """A step as the canvas titles it: its own name, else its type; with the summary when there is one.

    "Welcome email · Email: Hello", "Wait 1 day" (a summary that already names the type stands alone),
    "A/B split · A 50% / B 50%". The node id stays out of it: pages show it as a tooltip.
    """
    kind = str(node.get("type", ""))
    spec = REGISTRY.get(kind)
    label = _translated(f"builder.node.{kind}", spec.label) if spec else str(node.get("id", ""))
    own = str(node.get("name") or "").strip()
    try:
        fields = {k: node[k] for k in ("id", "type", "name", "config") if k in node}
        summary = node_summary(Node.model_validate(fields), spec)
    except ValueError:  # a stored document that no longer validates still gets its title
        summary = ""
    if not summary or summary == own:
        return own or label
    if own:
        return f"{own} · {summary}"
    type_names = tuple(n.lower() for n in {label, spec.label if spec else ""} if n)
    return summary if summary.lower().startswith(type_names) else f"{label} · {summary}"


def step_names(doc: dict[str, Any]) -> dict[str, str]:
    return {str(n["id"]): step_name(n) for n in doc.get("nodes", []) if "id" in n}


def grain_for(start: int, end: int) -> int:
    """Hours for a range of up to two days, days beyond."""
    return HOUR if end - start <= 2 * DAY else DAY


def periods(start: int, end: int, grain: int) -> list[int]:
    """Every bucket start in [start, end), so quiet periods show as zero instead of vanishing."""
    first = start - start % grain
    return list(range(first, end, grain))


def _day(moment: datetime, with_year: bool) -> str:
    month = t(f"analytics.month.{moment.month}")
    text = t("analytics.day", day=moment.day, month=month)
    return f"{text} {moment.year}" if with_year else text


def period_labels(points: list[int], grain: int) -> list[str]:
    """Tick labels a person reads: "14:00" within one day, "3 Dec 14:00" over several, "3 Dec" by day.

    Each label is unique within the axis, as a category axis needs.
    """
    moments = [datetime.fromtimestamp(p, UTC) for p in points]
    years = {m.year for m in moments}
    if grain == HOUR:
        if len(points) <= 24:
            return [m.strftime("%H:00") for m in moments]
        return [f"{_day(m, len(years) > 1)} {m.strftime('%H:00')}" for m in moments]
    return [_day(m, len(years) > 1) for m in moments]


def when_label(epoch: int) -> str:
    """A moment in words: "3 Dec 2026, 14:00"."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return t("analytics.when", day=_day(moment, True), time=moment.strftime("%H:%M"))


@dataclass(frozen=True)
class Reason:
    code: str
    words: str
    fix: str  # the link text, empty when nothing needs fixing
    href: str


def skip_reason(code: str) -> Reason:
    """A skip reason in words with the page that fixes it; unknown codes stay readable."""
    if code not in SKIP_REASONS:
        return Reason(code, t("analytics.reason.unknown", code=code or "?"), "", "")
    words, fix, href = SKIP_REASONS[code]
    return Reason(code, t(words), t(fix) if fix else "", href)


def verdict(arm: VariantRow, control: VariantRow, *, min_sample: int, metric: str = "conversion") -> str:
    """One variant against the control in a sentence, with the confidence in words.

    "Variant B converts 23% better than A; 96% confidence: B is likely better", or "not enough data yet"
    until both arms reach the experiment's minimum sample (the decision rule does not peek earlier either).
    """
    smallest = min(arm.exposures, control.exposures)
    if smallest < min_sample or arm.conversions + control.conversions == 0 or arm.prob_beat is None:
        return t(
            "analytics.verdict.wait",
            variant=arm.variant,
            control=control.variant,
            have=f"{smallest:,}",
            need=f"{min_sample:,}",
        )
    better = arm.rate >= control.rate
    confidence = arm.prob_beat if better else 1 - arm.prob_beat
    if arm.uplift is None:  # the control converts at 0: no relative difference to state
        head = t(f"analytics.verdict.{metric}.only", variant=arm.variant, control=control.variant)
    else:
        key = "better" if better else "worse"
        head = t(
            f"analytics.verdict.{metric}.{key}",
            variant=arm.variant,
            control=control.variant,
            amount=f"{abs(arm.uplift) * 100:.0f}",
        )
    if confidence >= CONFIDENT:
        winner = arm.variant if better else control.variant
        tail = t("analytics.verdict.likely", winner=winner)
    else:
        tail = t("analytics.verdict.unclear")
    return t("analytics.verdict.sentence", head=head, confidence=int(confidence * 100), tail=tail)
