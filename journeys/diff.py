"""What changed between two journey documents: journey settings, nodes added, removed and changed (field by
field), edges added and removed. Moving a node on the canvas is layout, reported apart from real changes.

Pure: used by ``journey diff`` on the command line, by ``journey apply`` and by the API, which all show the same
result. Edges are compared by what they connect (source, port, target), so a rewired edge shows as one removed
and one added.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from journeys.document import JourneyDocument, Node, edge_id

# Journey-level fields compared one by one (the key identifies the journey: two files of one journey share it).
_JOURNEY_FIELDS = ("name", "description", "settings", "goal")


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted path: "name", "config.body", "config.duration.amount", "settings.reentry.mode"
    before: Any
    after: Any


@dataclass(frozen=True)
class NodeChange:
    id: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class JourneyDiff:
    journey: list[FieldChange] = field(default_factory=list)
    nodes_added: list[str] = field(default_factory=list)
    nodes_removed: list[str] = field(default_factory=list)
    nodes_changed: list[NodeChange] = field(default_factory=list)
    edges_added: list[str] = field(default_factory=list)
    edges_removed: list[str] = field(default_factory=list)
    layout: list[NodeChange] = field(default_factory=list)  # position moves only

    @property
    def empty(self) -> bool:
        """No change at all, layout included."""
        return not (self.changed or self.layout)

    @property
    def changed(self) -> bool:
        """A change other than layout."""
        return bool(
            self.journey
            or self.nodes_added
            or self.nodes_removed
            or self.nodes_changed
            or self.edges_added
            or self.edges_removed
        )

    def to_dict(self, *, layout: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not layout:
            data.pop("layout")
        data["changed"] = self.changed
        return data


def diff(before: JourneyDocument, after: JourneyDocument) -> JourneyDiff:
    old_nodes = {n.id: n for n in before.nodes}
    new_nodes = {n.id: n for n in after.nodes}
    changed, moved = [], []
    for node_id in sorted(old_nodes.keys() & new_nodes.keys()):
        changes = _node_changes(old_nodes[node_id], new_nodes[node_id])
        if changes:
            changed.append(NodeChange(node_id, changes))
        old_pos, new_pos = old_nodes[node_id].position, new_nodes[node_id].position
        if (old_pos.x, old_pos.y) != (new_pos.x, new_pos.y):
            moved.append(NodeChange(node_id, [FieldChange("position", _dump(old_pos), _dump(new_pos))]))
    old_edges, new_edges = _edges(before), _edges(after)
    return JourneyDiff(
        journey=_field_changes("", _dump_fields(before), _dump_fields(after)),
        nodes_added=sorted(new_nodes.keys() - old_nodes.keys()),
        nodes_removed=sorted(old_nodes.keys() - new_nodes.keys()),
        nodes_changed=changed,
        edges_added=sorted(new_edges - old_edges),
        edges_removed=sorted(old_edges - new_edges),
        layout=moved,
    )


def render(result: JourneyDiff, *, layout: bool = False) -> list[str]:
    """Readable lines, one per change: ``+ node sms``, ``~ node wait: config.duration.amount: 1 -> 2``."""
    lines = [f"~ journey: {c.field}: {_show(c.before)} -> {_show(c.after)}" for c in result.journey]
    lines += [f"+ node {node_id}" for node_id in result.nodes_added]
    lines += [f"- node {node_id}" for node_id in result.nodes_removed]
    for node in result.nodes_changed:
        lines += [f"~ node {node.id}: {c.field}: {_show(c.before)} -> {_show(c.after)}" for c in node.changes]
    lines += [f"+ edge {edge}" for edge in result.edges_added]
    lines += [f"- edge {edge}" for edge in result.edges_removed]
    if layout:
        moves = [(n.id, n.changes[0]) for n in result.layout]
        lines += [f"~ layout {node_id}: {_show(c.before)} -> {_show(c.after)}" for node_id, c in moves]
    elif result.layout:
        lines.append(f"({len(result.layout)} node(s) moved on the canvas; --layout shows them)")
    return lines


def _node_changes(old: Node, new: Node) -> list[FieldChange]:
    changes = [FieldChange(name, getattr(old, name), getattr(new, name)) for name in ("type", "name")]
    changes = [c for c in changes if c.before != c.after]
    return changes + _field_changes("config", old.config, new.config)


def _field_changes(prefix: str, old: Any, new: Any) -> list[FieldChange]:
    """Changes between two JSON values, walking into objects so each changed key is named; lists are values."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in sorted(old.keys() | new.keys(), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            out += _field_changes(path, old.get(key), new.get(key))
        return out
    return [] if old == new else [FieldChange(prefix, old, new)]


def _edges(doc: JourneyDocument) -> set[str]:
    return {edge_id(e.source, e.port, e.target) for e in doc.edges}


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json") if model is not None else None


def _dump_fields(doc: JourneyDocument) -> dict[str, Any]:
    values = {name: getattr(doc, name) for name in _JOURNEY_FIELDS}
    return {name: _dump(v) if hasattr(v, "model_dump") else v for name, v in values.items()}


def _show(value: Any) -> str:
    text = "(none)" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."
