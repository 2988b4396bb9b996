"""Analytics views: funnels, node counts, channel breakdowns, variant comparisons and the dashboard.

Reads only metric buckets (through storage/funnel_queries.py) and returns plain data that the Plotly panels
in components/ draw. Nothing here renders UI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from dataclasses import replace as replaced
from datetime import UTC, datetime
from typing import Any

from app.analytics.split_funnel import SplitFunnel, split_funnel
from app.analytics.words import grain_for, periods, step_names
from app.core.context import AppContext
from journeys import stats
from journeys.metrics import DAY, HOUR, Rates, rates
from storage import funnel_queries as q

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
    has_goal: bool = False
    names: dict[str, str] = field(default_factory=dict)  # node id -> the step's name as the canvas shows it
    order: list[str] = field(default_factory=list)  # node ids as the journey runs
    grain: int = DAY  # of the series: hours for ranges up to two days
    periods: list[int] = field(default_factory=list)  # every bucket of the series, quiet ones included
    min_samples: dict[str, int] = field(default_factory=dict)  # split node id -> the experiment's minimum
    experiment_metrics: dict[str, str] = field(default_factory=dict)  # split node id -> conversion | click
    split: SplitFunnel | None = None  # with an A/B split: the steps before it once, then one series per variant


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
        if c.metric == "enrolled":  # an entry step logs its contacts as "enrolled": they reached it too
            nodes[c.node_id]["entered"] += c.count
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


def has_goal(doc: dict[str, Any]) -> bool:
    """Conversions are counted against the journey's goal; without one there is no conversion to show."""
    return bool(doc.get("goal"))


def funnel_steps(doc: dict[str, Any], totals: dict[str, int], nodes: dict[str, dict[str, int]]) -> list[FunnelStep]:
    """Entry, each message step by its name (as the canvas shows it), then conversion when there is a goal."""
    names = step_names(doc)
    steps = [FunnelStep("entry", "entry", totals.get("enrolled", 0))]
    for node in ordered_nodes(doc):
        kind = str(node.get("type", ""))
        if kind.startswith("message."):
            count = nodes.get(node["id"], {}).get("messaged", 0)
            steps.append(FunnelStep(node["id"], names.get(node["id"], node["id"]), count, kind.split(".", 1)[1]))
    if has_goal(doc):
        steps.append(FunnelStep("conversion", "conversion", totals.get("converted", 0)))
    return steps


def goal_rates(totals: dict[str, int], goal: bool) -> Rates:
    """Rates of the counters; the conversion rate does not exist (None, shown as "—") without a goal."""
    found = rates(totals)
    return found if goal else replaced(found, conversion=None)


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


def _series_range(
    conn: Any, journey_id: int, start: int | None, end: int | None, now: int
) -> tuple[int, list[int], dict[tuple[int, str], dict[int, int]]]:
    """The series grain, its periods and counts: hours up to two days, days beyond.

    Without a range, the range runs from the first day with activity to now (daily buckets say when that is).
    """
    metrics = ("enrolled", "converted")
    if start is None:
        daily = q.series(conn, grain=DAY, metrics=metrics, journey_id=journey_id, end=end)
        days = sorted({p for points in daily.values() for p in points})
        start = days[0] if days else now - now % DAY
        end = end if end is not None else now + 1
        if grain_for(start, end) == DAY:
            return DAY, periods(start, end, DAY), daily
    end = end if end is not None else now + 1
    grain = grain_for(start, end)
    raw = q.series(conn, grain=grain, metrics=metrics, journey_id=journey_id, start=start, end=end)
    return grain, periods(start, end, grain), raw


def _experiment_settings(doc: dict[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    samples, metrics = {}, {}
    for node in doc.get("nodes", []):
        if node.get("type") == "split":
            experiment = (node.get("config") or {}).get("experiment") or {}
            samples[node["id"]] = int(experiment.get("min_sample", 1000))
            metrics[node["id"]] = "click" if experiment.get("metric") == "click" else "conversion"
    return samples, metrics


def journey_analytics(ctx: AppContext, journey_id: int, *, start: int | None = None, end: int | None = None):
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.connect() as conn:
        name, doc = q.journey_document(conn, journey_id)
        cells = q.journey_cells(conn, journey_id, start=start, end=end)
        progress = q.in_progress(conn, [journey_id]).get(journey_id, 0)
        grain, points, raw = _series_range(conn, journey_id, start, end, now)
    totals, nodes, skipped, channels = _aggregate(cells)
    samples, metrics = _experiment_settings(doc)
    experiments: dict[str, list[VariantRow]] = {}
    for node_id, metric in metrics.items():
        experiments.update({k: v for k, v in variant_rows(cells, doc, by_metric=metric).items() if k == node_id})
    goal = has_goal(doc)
    ordered, steps = ordered_nodes(doc), funnel_steps(doc, totals, nodes)
    return JourneyAnalytics(
        journey_id=journey_id,
        name=name,
        totals=totals,
        in_progress=progress,
        steps=steps,
        nodes=nodes,
        skipped=skipped,
        channels=channels,
        series={metric: points for (_j, metric), points in raw.items()},
        experiments=experiments,
        rates=goal_rates(totals, goal),
        has_goal=goal,
        names=step_names(doc),
        order=[str(n["id"]) for n in ordered],
        grain=grain,
        periods=points,
        min_samples=samples,
        experiment_metrics=metrics,
        split=split_funnel(doc, ordered, steps, cells, goal),
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
    has_goal: bool = True


def dashboard(ctx: AppContext, *, start: int, end: int) -> list[DashboardRow]:
    """Every live journey at a glance over [start, end) (whole UTC days), plus messages sent today."""
    now = int(ctx.clock.now().timestamp())
    today = now - now % DAY
    with ctx.db.engine.connect() as conn:
        journeys = q.live_journeys(conn)
        ids = [j[0] for j in journeys]
        totals = q.daily_totals(conn, journey_ids=ids, start=start, end=end)
        today_totals = q.journey_totals(conn, journey_ids=ids, start=today, end=today + DAY, grain=HOUR)
        progress = q.in_progress(conn, ids)
        spark = q.daily_series(conn, metric="enrolled", journey_ids=ids, start=start, end=end)
        goals = q.version_goals(conn, [j[2] for j in journeys if j[2] is not None])
    days = list(range(start - start % DAY, end, DAY))
    rows = []
    for journey_id, name, version in journeys:
        t = totals.get(journey_id, {})
        points = spark.get(journey_id, {})
        goal = goals.get(version, False) if version is not None else False
        rows.append(
            DashboardRow(
                journey_id=journey_id,
                name=name,
                enrolled=t.get("enrolled", 0),
                in_progress=progress.get(journey_id, 0),
                converted=t.get("converted", 0),
                conversion_rate=goal_rates(t, goal).conversion,
                sent_today=today_totals.get(journey_id, {}).get("sent", 0),
                failed=t.get("failed", 0),
                spark=[points.get(d, 0) for d in days],
                totals=t,
                has_goal=goal,
            )
        )
    return rows


def day_label(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def hour_label(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:00")
