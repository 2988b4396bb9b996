"""What each engine step, delivery outcome and tracking hit counts as, and the rates derived from counts.

Pure functions: the step log and the metric buckets both store the metric names returned here, so a recount
of the log and the incremental counters use one vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

HOUR = 3_600
DAY = 86_400
GRAINS = (HOUR, DAY)

# Journey-level: "enrolled" is an entry into the journey (the entry node's "entered").
FUNNEL_METRICS = (
    "enrolled",
    "entered",
    "messaged",
    "sent",
    "delivered",
    "failed",
    "skipped",
    "opened",
    "clicked",
    "converted",
    "unsubscribed",
    "completed",
    "exited",
)
ENGAGEMENT = ("delivered", "opened", "clicked", "unsubscribed")
KEEP_REASON = {"skipped", "failed", "exited", "deferred", "refused", "assigned", "goal", "replied"}


def channel_of(node_type: str) -> str:
    """``message.email`` -> ``email``; ``webhook`` -> ``webhook``; other nodes have no channel."""
    if node_type.startswith("message."):
        return node_type.split(".", 1)[1]
    return "webhook" if node_type == "webhook" else ""


def step_metric(outcome: str, reason: str, node_type: str) -> tuple[str, str]:
    """The (metric, reason) an engine step outcome is logged as."""
    if outcome == "entered":
        return ("enrolled" if node_type.startswith("entry.") else "entered"), ""
    if outcome == "queued":
        return "messaged", ""
    if outcome == "exited" and reason == "completed":
        return "completed", ""
    return outcome[:20], (reason[:60] if outcome in KEEP_REASON else "")


def period_start(at: int, grain: int) -> int:
    return at - at % grain


@dataclass(frozen=True)
class Rates:
    delivery: float | None
    open: float | None
    click: float | None
    conversion: float | None
    unsubscribe: float | None


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def rates(totals: Mapping[str, int]) -> Rates:
    """Delivery per message sent; opens, clicks and unsubscribes per delivered; conversions per entry."""
    sent = totals.get("sent", 0)
    delivered = totals.get("delivered", 0)
    return Rates(
        delivery=ratio(delivered, sent),
        open=ratio(totals.get("opened", 0), delivered),
        click=ratio(totals.get("clicked", 0), delivered),
        conversion=ratio(totals.get("converted", 0), totals.get("enrolled", 0)),
        unsubscribe=ratio(totals.get("unsubscribed", 0), delivered),
    )
