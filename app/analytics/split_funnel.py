"""The funnel of a journey with an A/B split: the steps before the split once, then one series per variant.

Behind a split, variant A's message and variant B's message are alternatives, not one after the other, so the
linear funnel (entry, every message in run order, conversion) reads wrongly there. Here each variant gets the
same stages, by depth on its path: contacts assigned to it, its first message, its second message..., opens and
clicks of its messages (when the journey has any), and conversions. Every counter after the split carries the
variant of its contact, so a step both paths share after they join is counted for each variant apart.

Plain data, read from the same metric cells as :mod:`app.analytics.funnels`; the Plotly figure is drawn in components/.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storage import funnel_queries as q

if TYPE_CHECKING:
    from app.analytics.funnels import FunnelStep

ENGAGEMENT = ("opened", "clicked")  # stages shown once the journey has any such counter


@dataclass
class VariantSeries:
    port: str
    name: str  # as the marketer named it (user text), else the port
    control: bool
    counts: list[int]  # one per stage of the split funnel
    steps: list[str] = field(default_factory=list)  # per stage: the node id counted there ("" for other stages)


@dataclass
class SplitFunnel:
    split_id: str
    before: list[FunnelStep]  # entry and the message steps outside the split, counted once
    stages: list[str]  # "assigned", "message" (one per depth), "opened", "clicked", "converted"
    variants: list[VariantSeries]


def _targets(doc: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for edge in doc.get("edges", []):
        out[str(edge["source"])].append((str(edge.get("port", "next")), str(edge["target"])))
    return out


def _reachable(starts: Iterable[str], targets: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Node ids reached from ``starts`` (included), breadth-first: the order the path runs in."""
    queue, seen = list(starts), []
    while queue:
        node = queue.pop(0)
        if node not in seen:
            seen.append(node)
            queue.extend(target for _port, target in targets[node])
    return seen


def _by_variant(cells: list[q.Cell]) -> dict[tuple[str, str, str], int]:
    """(variant, node, metric) -> count; a split's assignments are filed under the variant in their reason."""
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for c in cells:
        variant = c.reason if c.metric == "assigned" else c.variant
        out[(variant, c.node_id, c.metric)] += c.count
    return out


def _variants(split: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The split's variants that name a port (a draft's config may be unfinished)."""
    found = ((split or {}).get("config") or {}).get("variants") or []
    return [v for v in found if isinstance(v, dict) and isinstance(v.get("port"), str) and v["port"]]


def split_funnel(
    doc: dict[str, Any], ordered: list[dict[str, Any]], steps: list[FunnelStep], cells: list[q.Cell], goal: bool
) -> SplitFunnel | None:
    """The split funnel of the first A/B split in run order (``ordered``), or None for a journey without one.

    ``steps`` is the linear funnel (:func:`app.analytics.funnels.funnel_steps`): its entry and the messages outside the
    split are kept as they are.
    """
    split = next((n for n in ordered if n.get("type") == "split"), None)
    variants = _variants(split)
    if split is None or not variants:  # a split still unconfigured in a draft: the linear funnel stays
        return None
    split_id = str(split["id"])
    kinds = {str(n["id"]): str(n.get("type", "")) for n in ordered}
    targets = _targets(doc)
    behind = set(_reachable([split_id], targets))
    paths = {}
    for variant in variants:
        starts = [target for port, target in targets[split_id] if port == variant["port"]]
        paths[variant["port"]] = [n for n in _reachable(starts, targets) if kinds.get(n, "").startswith("message.")]
    depth = max((len(path) for path in paths.values()), default=0)
    counts = _by_variant(cells)
    present = {c.metric for c in cells if c.count}
    stages = ["assigned", *["message"] * depth, *[m for m in ENGAGEMENT if m in present]]
    stages += ["converted"] if goal else []
    series = []
    for variant in variants:
        port, path = variant["port"], paths[variant["port"]]
        values = [counts[(port, split_id, "assigned")], *[counts[(port, n, "messaged")] for n in path]]
        values += [0] * (depth - len(path))
        values += [sum(counts[(port, n, m)] for n in path) for m in ENGAGEMENT if m in present]
        values += [sum(n for (v, _node, m), n in counts.items() if v == port and m == "converted")] if goal else []
        nodes = [split_id, *path, *[""] * (len(stages) - 1 - len(path))]
        name, control = str(variant.get("name") or port), bool(variant.get("control"))
        series.append(VariantSeries(port, name, control, values, nodes))
    before = [s for s in steps if s.key == "entry" or (s.key != "conversion" and s.key not in behind)]
    return SplitFunnel(split_id, before, stages, series)
