"""Edits that grow a journey already wired: a step added on an output, or inserted into a connection.

Pure functions like :mod:`journeys.editing`: the new step is connected at once and placed below its parent
without covering another step, so building a journey needs no separate drag to connect or to make room.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from pydantic import ValidationError

from journeys.document import Edge, JourneyDocument, Node, Position, edge_id
from journeys.editing import EditRefused, add_node, connect
from journeys.layout import COLUMN_GAP, ROW_GAP
from journeys.nodes import REGISTRY

NODE_WIDTH = 220  # the canvas draws every step this wide
NODE_HEIGHT = 110  # a generous height: the card grows with its summary, count and port labels


def output_ports(node: Node) -> list[str]:
    """The output port names of a step; an unfinished config still shows the ports its type always has."""
    spec = REGISTRY.get(node.type)
    if spec is None:
        return ["next"]
    if spec.is_exit:
        return []
    try:
        return [p.name for p in spec.ports(spec.config_model.model_validate(node.config))]
    except (ValidationError, AttributeError, TypeError, ValueError):
        pass
    try:  # defaults for what is missing, so "wait for event" keeps event/timeout before its event is chosen
        return [p.name for p in spec.ports(spec.config_model.model_construct(**node.config))]
    except (AttributeError, TypeError, ValueError, KeyError):
        return ["next"]


def _overlaps(doc: JourneyDocument, x: float, y: float, ignore: set[str]) -> bool:
    return any(
        abs(n.position.x - x) < NODE_WIDTH + 20 and abs(n.position.y - y) < NODE_HEIGHT
        for n in doc.nodes
        if n.id not in ignore
    )


def free_spot(doc: JourneyDocument, x: float, y: float, ignore: frozenset[str] = frozenset()) -> tuple[float, float]:
    """The first place at or right of (x, y) where a new step covers no other step."""
    for step in range(len(doc.nodes) + 1):
        candidate = x + step * COLUMN_GAP
        if not _overlaps(doc, candidate, y, set(ignore)):
            return candidate, y
    return x + (len(doc.nodes) + 1) * COLUMN_GAP, y


def _parent(doc: JourneyDocument, source: str, port: str) -> tuple[Node, int, int]:
    parent = doc.node(source)
    if parent is None:
        raise EditRefused("missing_step", "both ends of a connection must be steps of this journey")
    ports = output_ports(parent)
    if port not in ports:
        raise EditRefused("unknown_port", f"step {source} has no output {port!r}")
    return parent, ports.index(port), len(ports)


def add_after(doc: JourneyDocument, node_type: str, source: str, port: str) -> tuple[JourneyDocument, str]:
    """A new step on output ``port`` of ``source``, below it; a wired output gets the step inserted in it."""
    wired = next((e for e in doc.edges if e.source == source and e.port == port), None)
    if wired is not None:
        return insert_on_edge(doc, node_type, wired.id)
    parent, index, count = _parent(doc, source, port)
    x = parent.position.x + (index - (count - 1) / 2) * COLUMN_GAP
    x, y = free_spot(doc, x, parent.position.y + ROW_GAP)
    grown, node_id = add_node(doc, node_type, x, y)
    return connect(grown, source, port, node_id), node_id


def insert_on_edge(doc: JourneyDocument, node_type: str, edge: str) -> tuple[JourneyDocument, str]:
    """A -> B becomes A -> new -> B: the new step takes B on its first output; B and what follows move down."""
    found = next((e for e in doc.edges if e.id == edge), None)
    if found is None:
        raise EditRefused("missing_step", "that connection is not part of this journey any more")
    spec = REGISTRY.get(node_type)
    if spec is None:
        raise EditRefused("unknown_type", f"unknown step type {node_type!r}")
    if spec.is_entry or spec.is_exit:
        raise EditRefused("insert_needs_ports", "only a step with an input and an output can go into a connection")
    source, target = doc.node(found.source), doc.node(found.target)
    assert source is not None and target is not None  # edges of a parsed document join its steps
    grown, node_id = add_node(doc, node_type, target.position.x, source.position.y + ROW_GAP)
    first = output_ports(grown.node(node_id))[0]  # type: ignore[arg-type]
    edges = [e for e in grown.edges if e.id != found.id]
    edges.append(
        Edge(id=edge_id(found.source, found.port, node_id), source=found.source, target=node_id, port=found.port)
    )
    edges.append(Edge(id=edge_id(node_id, first, found.target), source=node_id, target=found.target, port=first))
    grown = grown.model_copy(update={"edges": edges})
    return _make_room(grown, node_id), node_id


def _make_room(doc: JourneyDocument, node_id: str) -> JourneyDocument:
    """Move what follows the inserted step down by one row when it sits in the row the step now takes."""
    graph = nx.DiGraph()
    graph.add_edges_from((e.source, e.target) for e in doc.edges)
    below = nx.descendants(graph, node_id)
    new = doc.node(node_id)
    assert new is not None
    if not any(n.position.y < new.position.y + ROW_GAP for n in doc.nodes if n.id in below):
        return doc
    nodes = [
        n.model_copy(update={"position": Position(x=n.position.x, y=n.position.y + ROW_GAP)}) if n.id in below else n
        for n in doc.nodes
    ]
    return doc.model_copy(update={"nodes": nodes})


def grow(doc: JourneyDocument, request: dict[str, Any]) -> tuple[JourneyDocument, str]:
    """A step the canvas asks for: on a free output (``source``/``port``), into a connection (``edge``), or
    loose at ``x``/``y``."""
    node_type = str(request.get("type"))
    if request.get("source") and request.get("port"):
        return add_after(doc, node_type, str(request["source"]), str(request["port"]))
    if request.get("edge"):
        return insert_on_edge(doc, node_type, str(request["edge"]))
    try:
        x, y = float(request.get("x", 0)), float(request.get("y", 0))
    except (TypeError, ValueError) as exc:
        raise EditRefused("missing_step", "a step needs a place on the canvas") from exc
    return add_node(doc, node_type, x, y)


def first_to_configure(doc: JourneyDocument) -> str | None:
    """The step a journey that is only its starting pair opens with: its entry, whose trigger is still to set."""
    if len(doc.nodes) != 2 or len(doc.edges) != 1:
        return None
    entry = next((n for n in doc.nodes if (spec := REGISTRY.get(n.type)) and spec.is_entry), None)
    return entry.id if entry is not None and not entry.config else None
