"""What data a condition tree reads, so a change elsewhere can skip re-checking it.

Ingestion re-checks saved segments for the contacts a batch touched. A batch of ``track`` calls changes
events and seen times (and the context columns it carries), never attributes; re-checking an attribute-only
segment for it is wasted work. ``inputs`` names what a tree reads, in the vocabulary of ``changed`` sets:
contact column names, ``attributes``, ``consent``, ``events``, or ``*`` for anything (segment references).
"""

from __future__ import annotations

from collections.abc import Iterable

from journeys import conditions as c

ANYTHING = "*"


def inputs(tree: c.Condition) -> frozenset[str]:
    read: set[str] = set()
    for node in c.walk(tree):
        if isinstance(node, c.AttributeCondition):
            read.add(node.attribute if node.attribute in c.BUILTIN_FIELDS else "attributes")
        elif isinstance(node, c.PerformedCondition):
            read.add("events")
        elif isinstance(node, c.SeenCondition):
            read.add(f"{node.kind}_at")
        elif isinstance(node, c.PlatformCondition):
            read.add("platform")
        elif isinstance(node, c.TimeZoneCondition):
            read.add("time_zone")
        elif isinstance(node, c.GeofenceCondition):
            read.update(("lat", "lon"))
        elif isinstance(node, c.ConsentCondition):
            read.add("consent")
        elif isinstance(node, c.SegmentCondition):
            read.add(ANYTHING)  # the referenced tree may read anything and may change later
        elif not isinstance(node, c.Group | c.EventPropertyCondition):
            read.add(ANYTHING)  # a kind this function does not know yet: never skip it
    return frozenset(read)


def affected(tree: c.Condition, changed: Iterable[str]) -> bool:
    """Whether data in ``changed`` may change who matches ``tree``."""
    read = inputs(tree)
    changed = set(changed)
    return ANYTHING in read or ANYTHING in changed or not read.isdisjoint(changed)
