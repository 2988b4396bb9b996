"""Top-to-bottom auto-layout computed from the NetworkX graph: one row per topological generation."""

from __future__ import annotations

import networkx as nx

from journeys.document import JourneyDocument, Position

ROW_GAP = 150
COLUMN_GAP = 260


def auto_layout(doc: JourneyDocument) -> JourneyDocument:
    """A copy of ``doc`` with positions laid out in rows; siblings keep their port order left to right."""
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in doc.nodes)
    graph.add_edges_from((e.source, e.target) for e in doc.edges if e.source in graph and e.target in graph)
    if not nx.is_directed_acyclic_graph(graph):
        return doc
    order = {n.id: i for i, n in enumerate(doc.nodes)}
    edge_rank = {e.target: i for i, e in enumerate(doc.edges)}
    # Longest-path depth, so a step sits below every step that leads to it.
    depth: dict[str, int] = {}
    for node in nx.topological_sort(graph):
        depth[node] = max((depth[p] + 1 for p in graph.predecessors(node)), default=0)
    rows: dict[int, list[str]] = {}
    for node, row in depth.items():
        rows.setdefault(row, []).append(node)
    x_of: dict[str, float] = {}
    positions: dict[str, Position] = {}
    for row in sorted(rows):

        def parent_x(node: str) -> float:
            parents = [x_of[p] for p in graph.predecessors(node) if p in x_of]
            return sum(parents) / len(parents) if parents else 0.0

        members = sorted(rows[row], key=lambda n: (parent_x(n), edge_rank.get(n, 0), order[n]))
        width = (len(members) - 1) * COLUMN_GAP
        for i, node in enumerate(members):
            x_of[node] = i * COLUMN_GAP - width / 2
            positions[node] = Position(x=round(x_of[node]), y=row * ROW_GAP)
    nodes = [n.model_copy(update={"position": positions.get(n.id, n.position)}) for n in doc.nodes]
    return doc.model_copy(update={"nodes": nodes})
