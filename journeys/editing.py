"""Edits the canvas makes to a journey document, as pure functions: a document in, a new document out.

The builder page applies these to the server draft; nothing here knows about the UI or the database.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from journeys.document import Edge, JourneyDocument, Node, Position, edge_id
from journeys.errors import InvalidError
from journeys.nodes import REGISTRY

PASTE_OFFSET = 40

# Types whose empty config cannot even describe their outputs start from their example.
_START_FROM_EXAMPLE = {"split", "branch.multi", "update_attribute"}


class EditRefused(InvalidError):
    """An edit that would break the journey, with a code the UI translates."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def new_node_id(doc: JourneyDocument, node_type: str) -> str:
    """A readable id that is not taken yet: ``message_sms_1``, ``message_sms_2``..."""
    stem = re.sub(r"[^A-Za-z0-9_]", "_", node_type)
    taken = {n.id for n in doc.nodes}
    number = 1
    while f"{stem}_{number}" in taken:
        number += 1
    return f"{stem}_{number}"


def default_config(node_type: str) -> dict[str, Any]:
    spec = REGISTRY[node_type]
    return copy.deepcopy(spec.example) if node_type in _START_FROM_EXAMPLE else {}


def add_node(doc: JourneyDocument, node_type: str, x: float, y: float) -> tuple[JourneyDocument, str]:
    spec = REGISTRY.get(node_type)
    if spec is None:
        raise EditRefused("unknown_type", f"unknown step type {node_type!r}")
    node = Node(
        id=new_node_id(doc, node_type),
        type=node_type,
        name=spec.label,
        config=default_config(node_type),
        position=Position(x=round(x), y=round(y)),
    )
    return doc.model_copy(update={"nodes": [*doc.nodes, node]}), node.id


def move_nodes(doc: JourneyDocument, positions: dict[str, tuple[float, float]]) -> JourneyDocument:
    nodes = [
        n.model_copy(update={"position": Position(x=round(positions[n.id][0]), y=round(positions[n.id][1]))})
        if n.id in positions
        else n
        for n in doc.nodes
    ]
    return doc.model_copy(update={"nodes": nodes})


def would_cycle(doc: JourneyDocument, source: str, target: str) -> bool:
    """True when an edge source → target closes a loop (target already leads back to source)."""
    if source == target:
        return True
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in doc.nodes)
    graph.add_edges_from((e.source, e.target) for e in doc.edges)
    return target in graph and source in graph and nx.has_path(graph, target, source)


def connect(doc: JourneyDocument, source: str, port: str, target: str) -> JourneyDocument:
    """Wire ``port`` of ``source`` to ``target``; an output already wired is moved to the new target."""
    ids = {n.id for n in doc.nodes}
    if source not in ids or target not in ids:
        raise EditRefused("missing_step", "both ends of a connection must be steps of this journey")
    target_spec = REGISTRY.get(doc.node(target).type)  # type: ignore[union-attr]
    if target_spec is not None and target_spec.is_entry:
        raise EditRefused("entry_incoming", "nothing can lead into an entry step")
    if would_cycle(doc, source, target):
        raise EditRefused("cycle", f"connecting {source} to {target} would make a loop; journeys go one way")
    edges = [e for e in doc.edges if not (e.source == source and e.port == port)]
    edges.append(Edge(id=edge_id(source, port, target), source=source, target=target, port=port))
    return doc.model_copy(update={"edges": edges})


def remove(doc: JourneyDocument, node_ids: Iterable[str] = (), edge_ids: Iterable[str] = ()) -> JourneyDocument:
    """Remove steps (and every connection touching them) and connections."""
    gone_nodes, gone_edges = set(node_ids), set(edge_ids)
    nodes = [n for n in doc.nodes if n.id not in gone_nodes]
    edges = [
        e for e in doc.edges if e.id not in gone_edges and e.source not in gone_nodes and e.target not in gone_nodes
    ]
    return doc.model_copy(update={"nodes": nodes, "edges": edges})


def paste(doc: JourneyDocument, node_ids: Iterable[str]) -> tuple[JourneyDocument, list[str]]:
    """Copies of the given steps (offset a little), with the connections between them copied too."""
    wanted = [n for n in doc.nodes if n.id in set(node_ids)]
    mapping: dict[str, str] = {}
    result = doc
    for node in wanted:
        copy_id = new_node_id(result, node.type)
        mapping[node.id] = copy_id
        clone = node.model_copy(
            deep=True,
            update={
                "id": copy_id,
                "position": Position(x=node.position.x + PASTE_OFFSET, y=node.position.y + PASTE_OFFSET),
            },
        )
        result = result.model_copy(update={"nodes": [*result.nodes, clone]})
    inner = [
        Edge(
            id=edge_id(mapping[e.source], e.port, mapping[e.target]),
            source=mapping[e.source],
            target=mapping[e.target],
            port=e.port,
        )
        for e in doc.edges
        if e.source in mapping and e.target in mapping
    ]
    return result.model_copy(update={"edges": [*result.edges, *inner]}), list(mapping.values())


def update_node(doc: JourneyDocument, node_id: str, *, name: str, config: dict[str, Any]) -> JourneyDocument:
    nodes = [
        n.model_copy(update={"name": name[:200], "config": copy.deepcopy(config)}) if n.id == node_id else n
        for n in doc.nodes
    ]
    return doc.model_copy(update={"nodes": nodes})


def blank(name: str) -> JourneyDocument:
    """A new journey's first draft: an event entry (its event still to choose) wired to an exit."""
    doc = JourneyDocument.model_validate({"name": name})
    doc, entry = add_node(doc, "entry.event", 0, 0)
    doc, end = add_node(doc, "exit", 0, 150)
    return connect(doc, entry, "next", end)
