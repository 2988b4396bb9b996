"""The side-panel form of a node type, described as data: the UI draws it, the node module only lists fields.

Each :class:`FormField` names the config key it edits, a ``kind`` of widget and the node-local text keys of
its label and options (see :func:`journeys.nodes.texts`). ``components/node_forms`` turns the list into widgets;
nothing here knows about NiceGUI.

Kinds:
- ``text``: a line (``multiline`` for a box); ``hint`` is an example shown under it.
- ``pick``: one of the values the page knows (``source``: events, segments, attributes, time_zones) or a new one.
- ``choose``: one of fixed ``options`` ``(value, text key)``; an empty text key shows the value itself.
- ``many``: several of fixed ``options``, stored in their declared order.
- ``duration``: an amount and a unit (``unit`` is the default unit).
- ``number``: a whole number between ``minimum`` and ``maximum``; ``toggle``: a yes/no switch.
- ``liquid``: a text with personalisation variables to insert (``multiline`` for a box).
- ``preview``: the live preview of a message for one contact, redrawn after each edit of the form.
- ``best_time``: the chart of when the workspace's contacts would get a message sent at their best time (the
  ``best_time``, ``best_time_hours`` and ``best_time_fallback`` keys), redrawn after each edit; nothing when off.
- ``note``: a line of help text (``label``; ``small`` for small print), no config key.
- ``filters``, ``condition``, ``cases``, ``variants``, ``updates``, ``replies``: richer editors the UI provides
  (property filters, a condition tree, the cases of a multi-way branch, split variants, attribute updates, the
  expected answers of a wait for a reply).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal[
    "text",
    "pick",
    "choose",
    "many",
    "duration",
    "number",
    "toggle",
    "note",
    "filters",
    "condition",
    "cases",
    "variants",
    "updates",
    "replies",
    "liquid",
    "preview",
    "best_time",
]
Source = Literal["", "events", "segments", "attributes", "time_zones"]


@dataclass(frozen=True)
class FormField:
    kind: FieldKind
    key: str = ""
    label: str = ""  # a node-local text key, e.g. "field.event"
    optional: bool = False
    multiline: bool = False
    hint: str = ""
    source: Source = ""
    options: tuple[tuple[str, str], ...] = ()
    default: str | None = None
    unit: str = "hours"
    small: bool = False  # a note in small print, after the fields
    minimum: int = 0  # for a number
    maximum: int | None = None
