"""What the canvas draws for a journey: node cards with ports, summary and problems, plus the palette.

Plain data computed in Python from the node registry, so the canvas has no knowledge of node types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from journeys.document import JourneyDocument, Node
from journeys.nodes import REGISTRY, NodeSpec, Port, text_key, texts
from journeys.nodes.base import CATEGORIES, Phrase
from journeys.validation import Violation

Translate = Callable[[str, str], str]  # (key, English fallback) -> text in the current language
Say = Callable[[Phrase], str]  # a step summary phrase -> text in the current language
Explain = Callable[[Violation], str]  # a problem -> what to do, in the current language

CATEGORY_ORDER = CATEGORIES


def _plain(_key: str, fallback: str) -> str:
    return fallback


def node_ports(node: Node, spec: NodeSpec | None, wired: list[str]) -> list[Port]:
    """The outputs of a step; when its config is unusable, keep the ones already wired so nothing vanishes."""
    if spec is None:
        return [Port(p, p) for p in wired]
    try:
        return spec.ports(spec.config_model.model_validate(node.config))
    except (ValidationError, AttributeError, TypeError, ValueError):
        pass
    try:  # an unfinished step keeps the outputs its type always has ("wait for event": event and timeout)
        ports = spec.ports(spec.config_model.model_construct(**node.config))
        if set(wired) <= {p.name for p in ports}:
            return ports
    except (AttributeError, TypeError, ValueError, KeyError):
        pass
    names = list(dict.fromkeys(wired or ["next"]))
    return [Port(n, n) for n in names]


def node_summary(node: Node, spec: NodeSpec | None, say: Say | None = None) -> str:
    if spec is None:
        return ""
    try:
        config = spec.config_model.model_validate(node.config)
        if say is not None and spec.phrase is not None:
            return say(spec.phrase(config)) or spec.summary(config)
        return spec.summary(config)
    except (ValidationError, AttributeError, TypeError, ValueError, KeyError, IndexError):
        return ""


def port_label(port: Port, tr: Translate, node_type: str = "") -> str:
    """A port's label: the node type's own text for its fixed ports, the user's name for a path they named."""
    if port.label != port.name and port.name not in _STANDARD_PORTS:
        return port.label
    own = text_key(node_type, f"port.{port.name}")
    return tr(own if own in texts("en") else f"builder.port.{port.name}", port.label)


_STANDARD_PORTS = {"next", "yes", "no", "event", "timeout", "else", "no_match"}


def node_views(
    doc: JourneyDocument,
    violations: list[Violation],
    tr: Translate = _plain,
    *,
    say: Say | None = None,
    explain: Explain | None = None,
) -> list[dict[str, Any]]:
    problems: dict[str, list[str]] = {}
    for v in violations:
        if v.node_id:
            problems.setdefault(v.node_id, []).append(explain(v) if explain else v.message)
    wired: dict[str, list[str]] = {}
    for e in doc.edges:
        wired.setdefault(e.source, []).append(e.port)
    views = []
    for node in doc.nodes:
        spec = REGISTRY.get(node.type)
        ports = [] if spec is not None and spec.is_exit else node_ports(node, spec, wired.get(node.id, []))
        views.append(
            {
                "id": node.id,
                "type": node.type,
                "name": node.name,
                "label": tr(f"builder.node.{node.type}", spec.label) if spec else node.type,
                "icon": spec.icon if spec else "help_outline",
                "category": spec.category if spec else "action",
                "summary": node_summary(node, spec, say),
                "ports": [{"name": p.name, "label": port_label(p, tr, node.type)} for p in ports],
                "problems": problems.get(node.id, []),
                "x": node.position.x,
                "y": node.position.y,
            }
        )
    return views


def edge_views(doc: JourneyDocument, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = {(n["id"], p["name"]): p["label"] for n in nodes for p in n["ports"]}
    return [
        {
            "id": e.id,
            "source": e.source,
            "target": e.target,
            "port": e.port,
            "label": "" if e.port == "next" else labels.get((e.source, e.port), e.port),
        }
        for e in doc.edges
    ]


def palette(tr: Translate = _plain) -> list[dict[str, Any]]:
    specs = sorted(REGISTRY.values(), key=lambda s: CATEGORY_ORDER.index(s.category))
    return [
        {
            "type": s.type,
            "label": tr(f"builder.node.{s.type}", s.label),
            "icon": s.icon,
            "category": s.category,
            "categoryLabel": tr(f"builder.category.{s.category}", s.category.capitalize()),
            "description": tr(f"builder.node_help.{s.type}", s.description),
        }
        for s in specs
    ]
