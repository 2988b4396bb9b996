"""The journey canvas: a NiceGUI element wrapping Vue Flow (built from components/journey_canvas/ with vite).

Python owns the journey: it sends ``nodes``/``edges`` view dicts (see :mod:`components.canvas_view`) and
listens to the element's named events (``node-added``, ``nodes-moved``, ``edge-connected``,
``elements-removed``, ``nodes-pasted``, ``node-selected``, ``pane-clicked``, ``undo``, ``redo``). NiceGUI
stores the listeners camelCased (``nodeAdded``...), which is the name tests trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments

EVENTS = (
    "node-added",
    "nodes-moved",
    "edge-connected",
    "elements-removed",
    "nodes-pasted",
    "node-selected",
    "pane-clicked",
    "undo",
    "redo",
)
MARKS = ("added", "changed")  # states the publish review draws on steps
# A dialog with this class leaves the canvas behind it lightly dimmed (the publish review opens beside it).
BESIDE = "jc-beside"


class JourneyCanvas(
    ui.element,
    component="journey_canvas/journey_canvas.js",
    esm={"journey-canvas": "journey_canvas/dist"},
):
    def __init__(
        self,
        *,
        palette: list[dict[str, Any]],
        readonly: bool = False,
        texts: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._props["nodes"] = []
        self._props["edges"] = []
        self._props["palette"] = palette
        self._props["counts"] = {}
        self._props["marks"] = {}
        self._props["readonly"] = readonly
        self._props["texts"] = texts or {}

    def on_event(self, name: str, handler: Callable[[dict[str, Any]], Any]) -> JourneyCanvas:
        """Call ``handler`` with the event's payload dict; ``name`` is one of :data:`EVENTS`."""
        if name not in EVENTS:
            raise ValueError(f"the canvas has no event {name!r}")

        def forward(event: GenericEventArguments) -> Any:
            return handler(event.args if isinstance(event.args, dict) else {})

        self.on(name, forward)
        return self

    def show(self, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
        self._props["nodes"] = nodes
        self._props["edges"] = edges
        self.update()

    def set_counts(self, counts: dict[str, int]) -> None:
        """Live numbers per node id (contacts currently on each step), shown under the summary."""
        self._props["counts"] = dict(counts)
        self.update()

    def highlight(self, states: dict[str, str], labels: dict[str, str]) -> None:
        """Outline steps by state (node id -> one of :data:`MARKS`) with a badge reading ``labels[state]``.

        The labels are prop values, shown as text by the component: never part of a template.
        """
        unknown = set(states.values()) - set(MARKS)
        if unknown:
            raise ValueError(f"the canvas has no mark {sorted(unknown)!r}")
        self._props["marks"] = {node_id: {"state": s, "label": labels[s]} for node_id, s in states.items()}
        self.update()

    def clear_highlight(self) -> None:
        if self._props["marks"]:
            self._props["marks"] = {}
            self.update()

    @property
    def marks(self) -> dict[str, str]:
        """Node id -> state of the steps outlined now."""
        return {node_id: mark["state"] for node_id, mark in self._props["marks"].items()}

    @property
    def nodes(self) -> list[dict[str, Any]]:
        return self._props["nodes"]

    @property
    def edges(self) -> list[dict[str, Any]]:
        return self._props["edges"]

    def fit_view(self) -> None:
        self.run_method("fitView")

    def focus_node(self, node_id: str) -> None:
        self.run_method("focusNode", node_id)
