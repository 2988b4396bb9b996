"""Analytics views: funnels, node counts, channel breakdowns, variant comparisons and the dashboard.

Reads only metric buckets (through storage/funnel_queries.py) and returns plain data that the Plotly panels
in components/ draw. Nothing here renders UI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.context import AppContext
from journeys import stats
from journeys.metrics import DAY, HOUR, rates
from storage import funnel_queries as q
from storage.models import Journey, JourneyVersion

NODE_METRICS = ("entered", "messaged", "sent", "delivered", "failed", "skipped", "opened", "clicked", "converted")


@dataclass
class FunnelStep:
    key: str  # "entry", a message node id, or "conversion"
    label: str
    count: int
    channel: str = ""


@dataclass
class VariantRow:
    variant: str
    exposures: int
    conversions: int
    rate: float
    control: bool
    uplift: float | None = None
    low: float | None = None
    high: float | None = None
    prob_beat: float | None = None
    significant: bool = False


@dataclass
class JourneyAnalytics:
    journey_id: int
    name: str
    totals: dict[str, int]
    in_progress: int
    steps: list[FunnelStep]
    nodes: dict[str, dict[str, int]]
    skipped: dict[str, int]
    channels: dict[str, dict[str, int]]
    series: dict[str, dict[int, int]]
    experiments: dict[str, list[VariantRow]] = field(default_factory=dict)
    rates: Any = None


def _document(conn: Any, journey_id: int) -> tuple[str, dict[str, Any]]:
    j, v = Journey.__table__, JourneyVersion.__table__
    row = conn.execute(select(j.c.name, j.c.live_version_id, j.c.draft).where(j.c.id == journey_id)).one_or_none()
    if row is None:
        raise LookupError(journey_id)
    doc = row.draft or {}
    if row.live_version_id is not None:
        doc = conn.execute(select(v.c.document).where(v.c.id == row.live_version_id)).scalar_one()
    return row.name, doc or {}


def ordered_nodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Nodes in breadth-first order from the entry, so the funnel reads left to right as the journey runs."""
    nodes = {n["id"]: n for n in doc.get("nodes", [])}
    targets: dict[str, list[str]] = defaultdict(list)
    for edge in doc.get("edges", []):
        targets[edge["source"]].append(edge["target"])
    queue = [n for n in nodes if str(nodes[n].get("type", "")).startswith("entry.")]
    seen: list[str] = []
    while queue:
        node = queue.pop(0)
        if node in seen or node not in nodes:
            continue
        seen.append(node)
        queue.extend(targets[node])
    seen += [n for n in nodes if n not in seen]
    return [nodes[n] for n in seen]


def _aggregate(cells: list[q.Cell]) -> tuple[dict[str, int], dict[str, dict[str, int]], dict[str, int], dict]:
    totals: dict[str, int] = defaultdict(int)
    nodes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    skipped: dict[str, int] = defaultdict(int)
    channels: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in cells:
        totals[c.metric] += c.count
        nodes[c.node_id][c.metric] += c.count
        if c.metric == "skipped":
            skipped[c.reason] += c.count
        if c.channel:
            channels[c.channel][c.metric] += c.count
    return (
        dict(totals),
        {k: dict(v) for k, v in nodes.items()},
        dict(skipped),
        {k: dict(v) for k, v in channels.items()},
    )


def funnel_steps(doc: dict[str, Any], totals: dict[str, int], nodes: dict[str, dict[str, int]]) -> list[FunnelStep]:
    steps = [FunnelStep("entry", "entry", totals.get("enrolled", 0))]
    for node in ordered_nodes(doc):
        kind = str(node.get("type", ""))
        if kind.startswith("message."):
            count = nodes.get(node["id"], {}).get("messaged", 0)
            steps.append(FunnelStep(node["id"], node.get("name") or node["id"], count, kind.split(".", 1)[1]))
    steps.append(FunnelStep("conversion", "conversion", totals.get("converted", 0)))
    return steps


def variant_rows(cells: list[q.Cell], doc: dict[str, Any], *, by_metric: str = "converted") -> dict[str, list]:
    """Split node id -> one row per variant, compared with the control using journeys/stats."""
    out: dict[str, list[VariantRow]] = {}
    successes: dict[str, int] = defaultdict(int)
    metric = "first_click" if by_metric == "click" else "converted"
    for c in cells:
        if c.metric == metric:
            successes[c.variant] += c.count
    for node in doc.get("nodes", []):
        if node.get("type") != "split":
            continue
        exposures: dict[str, int] = defaultdict(int)
        for c in cells:
            if c.node_id == node["id"] and c.metric == "assigned":
                exposures[c.reason] += c.count
        variants = node.get("config", {}).get("variants", [])
        arms = [
            stats.Arm(v["port"], successes.get(v["port"], 0), exposures.get(v["port"], 0), bool(v.get("control")))
            for v in variants
        ]
        out[node["id"]] = compare_rows(arms)
    return out


def compare_rows(arms: list[stats.Arm]) -> list[VariantRow]:
    if not arms:
        return []
    decision = stats.compare_to_control(arms)
    by_name = {c.variant: c for c in decision.comparisons}
    rows = []
    for arm in arms:
        row = VariantRow(arm.name, arm.exposures, arm.conversions, arm.rate, arm.name not in by_name)
        comp = by_name.get(arm.name)
        if comp is not None:
            row.uplift, row.low, row.high = comp.uplift, comp.diff_low, comp.diff_high
            row.prob_beat, row.significant = comp.prob_beat_control, comp.significant
        rows.append(row)
    return rows


def journey_analytics(ctx: AppContext, journey_id: int, *, start: int | None = None, end: int | None = None):
    with ctx.db.engine.connect() as conn:
        name, doc = _document(conn, journey_id)
        cells = q.journey_cells(conn, journey_id, start=start, end=end)
        progress = q.in_progress(conn, [journey_id]).get(journey_id, 0)
        grain = HOUR if start is not None and end is not None and end - start <= 2 * DAY else DAY
        raw = q.series(
            conn, grain=grain, metrics=("enrolled", "converted"), journey_id=journey_id, start=start, end=end
        )
    totals, nodes, skipped, channels = _aggregate(cells)
    experiments: dict[str, list[VariantRow]] = {}
    for node in doc.get("nodes", []):
        if node.get("type") == "split":
            metric = (node.get("config", {}).get("experiment") or {}).get("metric", "conversion")
            experiments.update({k: v for k, v in variant_rows(cells, doc, by_metric=metric).items() if k == node["id"]})
    return JourneyAnalytics(
        journey_id=journey_id,
        name=name,
        totals=totals,
        in_progress=progress,
        steps=funnel_steps(doc, totals, nodes),
        nodes=nodes,
        skipped=skipped,
        channels=channels,
        series={metric: points for (_j, metric), points in raw.items()},
        experiments=experiments,
        rates=rates(totals),
    )


@dataclass
class DashboardRow:
    journey_id: int
    name: str
    enrolled: int
    in_progress: int
    converted: int
    conversion_rate: float | None
    sent_today: int
    failed: int
    spark: list[int]
    totals: dict[str, int] = field(default_factory=dict)


def dashboard(ctx: AppContext, *, start: int, end: int) -> list[DashboardRow]:
    """Every live journey at a glance over [start, end) (whole UTC days), plus messages sent today."""
    now = int(ctx.clock.now().timestamp())
    today = now - now % DAY
    with ctx.db.engine.connect() as conn:
        journeys = q.live_journeys(conn)
        ids = [j[0] for j in journeys]
        totals = q.journey_totals(conn, journey_ids=ids, start=start, end=end)
        today_totals = q.journey_totals(conn, journey_ids=ids, start=today, end=today + DAY, grain=HOUR)
        progress = q.in_progress(conn, ids)
        spark = q.series(conn, grain=DAY, metrics=("enrolled",), journey_ids=ids, start=start, end=end)
    days = list(range(start - start % DAY, end, DAY))
    rows = []
    for journey_id, name, _version in journeys:
        t = totals.get(journey_id, {})
        points = spark.get((journey_id, "enrolled"), {})
        rows.append(
            DashboardRow(
                journey_id=journey_id,
                name=name,
                enrolled=t.get("enrolled", 0),
                in_progress=progress.get(journey_id, 0),
                converted=t.get("converted", 0),
                conversion_rate=rates(t).conversion,
                sent_today=today_totals.get(journey_id, {}).get("sent", 0),
                failed=t.get("failed", 0),
                spark=[points.get(d, 0) for d in days],
                totals=t,
            )
        )
    return rows


def day_label(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def hour_label(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:00")
