"""The analytics page's "Replies" panel: how many replies each wait-for-reply step received, per answer
(port), with no reply in time counted as ``timeout``. Shown only for journeys that wait for replies."""

from __future__ import annotations

from typing import Any

from app.core.context import AppContext
from app.i18n import t
from components.funnel_panels import Panel, bars_figure, percent
from journeys import replies
from journeys.nodes import text_key
from storage import conversations as store
from storage.funnel_queries import journey_document


def has_reply_steps(ctx: AppContext, journey_id: int) -> bool:
    with ctx.db.engine.connect() as conn:
        try:
            _name, doc = journey_document(conn, journey_id)
        except LookupError:
            return False
    return any(isinstance(n, dict) and n.get("type") == "wait.reply" for n in doc.get("nodes") or [])


# Ports with standard words: the two a wait-for-reply step names itself, and answers named yes or no.
STANDARD_PORT_KEYS = {
    replies.NO_MATCH: text_key("wait.reply", "port.no_match"),
    replies.TIMEOUT: text_key("wait.reply", "port.timeout"),
    "yes": text_key("wait.reply", "port.yes"),
    "no": text_key("wait.reply", "port.no"),
}


def port_label(port: str) -> str:
    """The words for a standard port (yes, no, no_match, timeout); a port the marketer named shows as named."""
    return t(STANDARD_PORT_KEYS[port]) if port in STANDARD_PORT_KEYS else port


def reply_rows(counts: list[dict[str, Any]], names: dict[str, str]) -> list[list[Any]]:
    """[step, answer, replies, share of the step's replies] per node and port."""
    totals: dict[str, int] = {}
    for row in counts:
        totals[row["node_id"]] = totals.get(row["node_id"], 0) + row["replies"]
    return [
        [
            names.get(row["node_id"], row["node_id"]),
            port_label(row["port"]),
            row["replies"],
            percent(row["replies"] / totals[row["node_id"]] if totals[row["node_id"]] else None),
        ]
        for row in counts
    ]


class RepliesPanel:
    def __init__(self, ctx: AppContext, journey_id: int, labels: dict[str, str]) -> None:
        self.ctx, self.journey_id = ctx, journey_id
        self.panel = Panel(t("conv.panel.replies"), "replies", {**labels, "empty": t("conv.panel.no_replies")})

    def refresh(self, names: dict[str, str], start: int | None, end: int | None) -> None:
        with self.ctx.db.session() as session:
            counts = store.replies_per_port(session, journey_id=self.journey_id, start=start, end=end)
        rows = reply_rows(counts, names)
        headers = [t("funnels.col.step"), t("conv.col.answer"), t("conv.col.replies"), t("funnels.col.share")]
        groups = {t("conv.col.replies"): [r[2] for r in rows]}
        figure = bars_figure([f"{r[0]} · {r[1]}" for r in rows], groups)
        alt = t("conv.alt.replies", answers=", ".join(f"{r[1]} {r[2]}" for r in rows))
        self.panel.update(headers, rows, figure, alt)
