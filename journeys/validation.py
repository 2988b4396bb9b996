"""Validation as a pure function: a document in, a list of violations out, each naming its node or edge.

The API, the CLI and the canvas all show these same violations.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx
from pydantic import BaseModel, ValidationError

from journeys import liquid
from journeys.document import JourneyDocument, Node
from journeys.nodes import REGISTRY, NodeSpec

CODES = (
    "duplicate_id",
    "unknown_type",
    "invalid_config",
    "template_syntax",
    "split_weights",
    "dangling_edge",
    "entry_incoming",
    "unknown_port",
    "port_reused",
    "port_missing",
    "no_entry",
    "multiple_entries",
    "cycle",
    "unreachable",
    "dead_end",
)


EMPTY_ERRORS = {"missing", "string_too_short", "none_required", "too_short", "int_type", "list_type"}


class Violation(BaseModel):
    """One problem. ``message`` is English for the API and logs; ``detail`` and ``values`` let the app say it
    in the reader's language and words (``detail`` names the sentence, ``values`` fill it in)."""

    code: str
    message: str
    node_id: str | None = None
    edge_id: str | None = None
    detail: str = ""
    values: dict[str, str | int] = {}

    def __str__(self) -> str:
        where = f"node {self.node_id}" if self.node_id else f"edge {self.edge_id}" if self.edge_id else "journey"
        return f"{where}: [{self.code}] {self.message}"


def _config_errors(node: Node, spec: NodeSpec) -> tuple[BaseModel | None, list[Violation]]:
    try:
        config = spec.config_model.model_validate(node.config)
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "config"
            empty = err["type"] in EMPTY_ERRORS or err.get("input") in ("", None)
            found.append(
                Violation(
                    code="invalid_config",
                    node_id=node.id,
                    message=f"{field}: {err['msg']}",
                    detail="field_missing" if empty else "field_invalid",
                    values={"node_type": node.type, "field": str(err["loc"][0]) if err["loc"] else "config"},
                )
            )
        return None, found
    found = [
        Violation(code=p.code, node_id=node.id, message=p.message, detail=p.detail, values=_plain(p.values))
        for p in spec.problems(config)
    ]
    for field, source in spec.templates(config).items():
        reason = liquid.syntax_error(source)
        if reason:
            found.append(
                Violation(
                    code="template_syntax",
                    node_id=node.id,
                    message=f"{field}: {reason}",
                    detail="template_syntax",
                    values={"node_type": node.type, "field": field, "reason": reason},
                )
            )
    return config, found


def _plain(values: dict[str, object]) -> dict[str, str | int]:
    return {k: v if isinstance(v, int) else str(v) for k, v in values.items()}


def check_nodes(doc: JourneyDocument) -> tuple[dict[str, set[str] | None], list[Violation]]:
    """Per-node checks. Returns each known node's expected ports (None when its config is unusable)."""
    found: list[Violation] = []
    ports: dict[str, set[str] | None] = {}
    counts = Counter(n.id for n in doc.nodes)
    for node_id in sorted(i for i, c in counts.items() if c > 1):
        found.append(
            Violation(
                code="duplicate_id",
                node_id=node_id,
                message=f"{counts[node_id]} steps share this id",
                values={"count": counts[node_id]},
            )
        )
    for node in doc.nodes:
        spec = REGISTRY.get(node.type)
        if spec is None:
            found.append(
                Violation(
                    code="unknown_type",
                    node_id=node.id,
                    message=f"unknown step type {node.type!r}",
                    values={"node_type": node.type},
                )
            )
            ports[node.id] = None
            continue
        config, problems = _config_errors(node, spec)
        found.extend(problems)
        found.extend(_goal_needed(doc, node, config))
        ports[node.id] = {p.name for p in spec.ports(config)} if config is not None else None
    return ports, found


def _goal_needed(doc: JourneyDocument, node: Node, config: BaseModel | None) -> list[Violation]:
    """A split optimised automatically follows the goal's conversions: without a goal it has nothing to follow."""
    if doc.goal is not None or not getattr(config, "optimise", False):
        return []
    message = "optimise: an optimised split needs a goal for the journey"
    values: dict[str, str | int] = {"node_type": node.type, "field": "optimise"}
    return [Violation(code="invalid_config", node_id=node.id, message=message, detail="field_invalid", values=values)]


def check_edges(doc: JourneyDocument, ports: dict[str, set[str] | None]) -> list[Violation]:
    found: list[Violation] = []
    entries = {n.id for n in doc.nodes if (s := REGISTRY.get(n.type)) and s.is_entry}
    used: dict[tuple[str, str], list[str]] = defaultdict(list)
    for edge in doc.edges:
        missing = [end for end in (edge.source, edge.target) if end not in ports]
        if missing:
            found.append(
                Violation(
                    code="dangling_edge",
                    edge_id=edge.id,
                    message=f"connection points to a missing step: {', '.join(missing)}",
                    values={"steps": ", ".join(missing)},
                )
            )
            continue
        if edge.target in entries:
            found.append(
                Violation(
                    code="entry_incoming",
                    edge_id=edge.id,
                    node_id=edge.target,
                    message="nothing can lead into an entry step",
                )
            )
        expected = ports[edge.source]
        if expected is not None and edge.port not in expected:
            allowed = ", ".join(sorted(expected)) or "none"
            found.append(
                Violation(
                    code="unknown_port",
                    edge_id=edge.id,
                    node_id=edge.source,
                    message=f"step has no output {edge.port!r} (outputs: {allowed})",
                    values={"port": edge.port},
                )
            )
        used[(edge.source, edge.port)].append(edge.id)
    for (source, port), edge_ids in sorted(used.items()):
        if len(edge_ids) > 1:
            found.append(
                Violation(
                    code="port_reused",
                    node_id=source,
                    edge_id=edge_ids[1],
                    message=f"output {port!r} is connected {len(edge_ids)} times; connect it once",
                    values={"port": port, "count": len(edge_ids)},
                )
            )
    return found + _unwired_ports(ports, used)


def _unwired_ports(ports: dict[str, set[str] | None], used: dict[tuple[str, str], list[str]]) -> list[Violation]:
    """Outputs left free on a step whose other outputs are connected (an unwired step is a dead end instead)."""
    found: list[Violation] = []
    wired_sources = {s for s, _ in used}
    for node_id, expected in ports.items():
        if expected is None or node_id not in wired_sources:
            continue
        for port in sorted(expected - {p for s, p in used if s == node_id}):
            found.append(
                Violation(
                    code="port_missing",
                    node_id=node_id,
                    message=f"output {port!r} is not connected to anything",
                    values={"port": port},
                )
            )
    return found


def check_graph(doc: JourneyDocument) -> list[Violation]:
    found: list[Violation] = []
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(n.id for n in doc.nodes)
    graph.add_edges_from((e.source, e.target) for e in doc.edges if e.source in graph and e.target in graph)
    types = {n.id: n.type for n in doc.nodes}
    entries = [n.id for n in doc.nodes if (s := REGISTRY.get(n.type)) and s.is_entry]
    if not entries:
        found.append(Violation(code="no_entry", message="the journey has no entry step; add a trigger"))
    for extra in entries[1:]:
        found.append(
            Violation(
                code="multiple_entries",
                node_id=extra,
                message=f"only one entry step is allowed; {entries[0]} is already the entry",
                values={"entry": entries[0]},
            )
        )
    for component in nx.strongly_connected_components(graph):
        looped = sorted(component)
        if len(looped) > 1 or graph.has_edge(looped[0], looped[0]):
            found.append(
                Violation(
                    code="cycle",
                    node_id=looped[0],
                    message=f"steps {' → '.join(looped)} form a loop; journeys go one way",
                    values={"steps": " → ".join(looped)},
                )
            )
    if entries:
        reachable = set(nx.descendants(graph, entries[0])) | {entries[0]}
        for node in doc.nodes:
            if node.id not in reachable and node.id not in entries:
                found.append(
                    Violation(code="unreachable", node_id=node.id, message="no path from the entry reaches this step")
                )
    for node_id in graph.nodes:
        spec = REGISTRY.get(types.get(node_id, ""))
        if graph.out_degree(node_id) == 0 and spec is not None and not spec.is_exit:
            found.append(
                Violation(
                    code="dead_end",
                    node_id=node_id,
                    message="this path stops here; connect it to a next step or an Exit",
                )
            )
    return found


def validate(doc: JourneyDocument) -> list[Violation]:
    """Every problem with a journey, in a stable order. An empty list means it can be published."""
    ports, found = check_nodes(doc)
    found += check_edges(doc, ports)
    found += check_graph(doc)
    return found
