"""Generated journeys of any size, for the canvas figures (test and bench)."""

from __future__ import annotations

from journeys import document
from journeys.document import JourneyDocument, Position
from journeys.layout import auto_layout


def large_journey(size: int = 100, *, lanes: int = 4, open_end: bool = True) -> JourneyDocument:
    """An entry, a split into ``lanes`` paths of waits and pushes, each ending on an exit; ``size`` nodes.

    With ``open_end`` the last lane's final step is left unconnected from its exit, so a test can wire it.
    """
    nodes = [
        {"id": "entry", "type": "entry.event", "name": "Entry", "config": {"event": "signed_up"}},
        {
            "id": "split",
            "type": "split",
            "name": "Split",
            "config": {
                "variants": [{"port": f"L{i}", "weight": 100 // lanes + (i < 100 % lanes)} for i in range(lanes)]
            },
        },
    ]
    edges = [{"source": "entry", "target": "split", "port": "next"}]
    per_lane = [(size - 2) // lanes + (1 if i < (size - 2) % lanes else 0) for i in range(lanes)]
    for lane, count in enumerate(per_lane):
        previous, port = "split", f"L{lane}"
        for step in range(count - 1):
            node_id = f"l{lane}_s{step}"
            nodes.append(_lane_step(node_id, lane, step))
            edges.append({"source": previous, "target": node_id, "port": port})
            previous, port = node_id, "next"
        exit_id = f"l{lane}_exit"
        nodes.append({"id": exit_id, "type": "exit", "name": f"Exit {lane}", "config": {}})
        if not (open_end and lane == lanes - 1):
            edges.append({"source": previous, "target": exit_id, "port": port})
    doc = document.parse(
        {"schema_version": 1, "name": f"Generated {size}-step journey", "nodes": nodes, "edges": edges}
    )
    doc = auto_layout(doc)
    if open_end:
        # Put the unconnected exit just below the step it should follow, so a drag can reach it.
        source, exit_id = open_end_ids(size, lanes)
        anchor = doc.node(source)
        assert anchor is not None
        nodes = [
            n.model_copy(update={"position": Position(x=anchor.position.x, y=anchor.position.y + 150)})
            if n.id == exit_id
            else n
            for n in doc.nodes
        ]
        doc = doc.model_copy(update={"nodes": nodes})
    return doc


def _lane_step(node_id: str, lane: int, step: int) -> dict:
    """Even steps of a lane wait (1, 3, 5... hours), odd steps send a push."""
    if step % 2:
        config = {"body": f"Hello {{{{ contact.first_name }}}} #{step}"}
        return {"id": node_id, "type": "message.push", "name": f"Push {lane}.{step}", "config": config}
    config = {"duration": {"amount": step + 1, "unit": "hours"}}
    return {"id": node_id, "type": "wait.duration", "name": f"Wait {lane}.{step}", "config": config}


def open_end_ids(size: int = 100, lanes: int = 4) -> tuple[str, str]:
    """The (source, exit) pair left unconnected by :func:`large_journey`."""
    count = (size - 2) // lanes + (1 if lanes - 1 < (size - 2) % lanes else 0)
    return f"l{lanes - 1}_s{count - 2}", f"l{lanes - 1}_exit"
