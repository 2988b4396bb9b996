"""Growing a journey from the canvas: steps added on a free output or inserted into a connection."""

from __future__ import annotations

import pytest

from journeys import editing, insertion
from journeys.document import JourneyDocument
from journeys.validation import validate


def wiring(doc: JourneyDocument) -> set[tuple[str, str, str]]:
    return {(e.source, e.port, e.target) for e in doc.edges}


def edge_from(doc: JourneyDocument, source: str) -> str:
    return next(e.id for e in doc.edges if e.source == source)


def boxes_overlap(doc: JourneyDocument) -> bool:
    nodes = doc.nodes
    return any(
        abs(a.position.x - b.position.x) < insertion.NODE_WIDTH and abs(a.position.y - b.position.y) < 100
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
    )


def test_a_blank_journey_is_an_event_entry_wired_to_an_exit() -> None:
    doc = editing.blank("Winback")
    assert [n.type for n in doc.nodes] == ["entry.event", "exit"]
    assert wiring(doc) == {("entry_event_1", "next", "exit_1")}
    # the only problem is the event still to choose, shown on the entry; never "no entry step"
    assert [(v.code, v.node_id) for v in validate(doc)] == [("invalid_config", "entry_event_1")]
    assert insertion.first_to_configure(doc) == "entry_event_1"


def test_inserting_into_a_connection_puts_the_step_between_and_makes_room() -> None:
    doc = editing.blank("x")
    doc, wait = insertion.insert_on_edge(doc, "wait.duration", edge_from(doc, "entry_event_1"))
    assert wiring(doc) == {("entry_event_1", "next", wait), (wait, "next", "exit_1")}
    positions = {n.id: (n.position.x, n.position.y) for n in doc.nodes}
    assert positions["entry_event_1"][1] < positions[wait][1] < positions["exit_1"][1]
    assert not boxes_overlap(doc)


def test_a_step_with_two_outputs_takes_the_next_step_on_its_first_one() -> None:
    doc = editing.blank("x")
    doc, wait = insertion.insert_on_edge(doc, "wait.event", edge_from(doc, "entry_event_1"))
    assert (wait, "event", "exit_1") in wiring(doc)  # "timeout" stays free for its own "+"


def test_adding_on_a_free_output_connects_below_without_covering_a_step() -> None:
    doc = editing.blank("x")
    doc, wait = insertion.insert_on_edge(doc, "wait.event", edge_from(doc, "entry_event_1"))
    doc, email = insertion.add_after(doc, "message.email", wait, "timeout")
    doc, end = insertion.add_after(doc, "exit", email, "next")
    assert {(wait, "timeout", email), (email, "next", end)} <= wiring(doc)
    by_id = {n.id: n.position for n in doc.nodes}
    assert by_id[email].y > by_id[wait].y and by_id[end].y > by_id[email].y
    assert not boxes_overlap(doc)


def test_adding_on_a_wired_output_inserts_instead_of_dropping_the_connection() -> None:
    doc = editing.blank("x")
    doc, sms = insertion.add_after(doc, "message.sms", "entry_event_1", "next")
    assert wiring(doc) == {("entry_event_1", "next", sms), (sms, "next", "exit_1")}


@pytest.mark.parametrize("node_type", ["exit", "entry.segment"])
def test_only_a_step_with_an_input_and_an_output_goes_into_a_connection(node_type: str) -> None:
    doc = editing.blank("x")
    with pytest.raises(editing.EditRefused) as refused:
        insertion.insert_on_edge(doc, node_type, edge_from(doc, "entry_event_1"))
    assert refused.value.code == "insert_needs_ports"


def test_an_unknown_output_or_connection_is_refused_by_name() -> None:
    doc = editing.blank("x")
    with pytest.raises(editing.EditRefused) as refused:
        insertion.add_after(doc, "message.sms", "entry_event_1", "nope")
    assert refused.value.code == "unknown_port"
    with pytest.raises(editing.EditRefused):
        insertion.insert_on_edge(doc, "message.sms", "gone:next->exit_1")


def test_grow_dispatches_on_what_the_canvas_dropped_onto() -> None:
    doc = editing.blank("x")
    loose, loose_id = insertion.grow(doc, {"type": "message.push", "x": 400, "y": 10})
    assert loose.node(loose_id).position.x == 400 and wiring(loose) == wiring(doc)  # type: ignore[union-attr]
    inserted, new_id = insertion.grow(doc, {"type": "message.push", "edge": edge_from(doc, "entry_event_1")})
    assert ("entry_event_1", "next", new_id) in wiring(inserted)
