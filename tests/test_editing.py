"""Canvas edits as pure functions, SMS sizing, message previews and what the canvas is told to draw."""

from __future__ import annotations

import pytest

from components.canvas_view import edge_views, node_views, palette
from journeys import document, editing
from journeys.nodes import REGISTRY
from journeys.preview import render_preview
from journeys.sms import measure
from journeys.validation import validate
from tests.conftest import load_template_dict


def cart() -> document.JourneyDocument:
    return document.parse(load_template_dict("abandoned_cart"))


def test_added_step_gets_a_fresh_readable_id_and_its_label_as_name() -> None:
    doc, first = editing.add_node(cart(), "message.sms", 10.4, 20.6)
    doc, second = editing.add_node(doc, "message.sms", 0, 0)
    assert (first, second) == ("message_sms_1", "message_sms_2")
    node = doc.node(first)
    assert node is not None and node.name == "SMS" and (node.position.x, node.position.y) == (10, 21)


def test_split_starts_with_two_paths_so_its_ports_exist() -> None:
    doc, node_id = editing.add_node(cart(), "split", 0, 0)
    ports = next(n for n in node_views(doc, validate(doc)) if n["id"] == node_id)["ports"]
    assert [p["name"] for p in ports] == ["A", "B"]


def test_connection_that_closes_a_loop_is_refused() -> None:
    with pytest.raises(editing.EditRefused) as refused:
        editing.connect(cart(), "email", "next", "wait_1h")
    assert refused.value.code == "cycle"


def test_connection_into_an_entry_is_refused() -> None:
    doc, exit_id = editing.add_node(cart(), "exit", 0, 0)
    with pytest.raises(editing.EditRefused) as refused:
        editing.connect(doc, "done", "next", "entry")
    assert refused.value.code in {"entry_incoming", "cycle"}
    assert exit_id


def test_rewiring_an_output_replaces_its_old_connection() -> None:
    doc, exit_id = editing.add_node(cart(), "exit", 0, 0)
    doc = editing.connect(doc, "email", "next", exit_id)
    targets = [e.target for e in doc.edges if e.source == "email"]
    assert targets == [exit_id]


def test_removing_a_step_removes_its_connections_and_leaves_a_dead_end() -> None:
    doc = editing.remove(cart(), ["done"])
    assert all("done" not in (e.source, e.target) for e in doc.edges)
    assert any(v.code == "dead_end" and v.node_id == "email" for v in validate(doc))


def test_paste_copies_steps_with_the_connections_between_them() -> None:
    doc, copies = editing.paste(cart(), ["sms", "wait_24h"])
    assert copies == ["message_sms_1", "wait_event_1"]
    assert any(e.source == "message_sms_1" and e.target == "wait_event_1" for e in doc.edges)
    assert doc.node("message_sms_1").config == cart().node("sms").config  # type: ignore[union-attr]


def test_gsm7_text_counts_extended_characters_twice_and_splits_at_153() -> None:
    assert measure("Hello [world]").characters == 15
    size = measure("a" * 161)
    assert (size.encoding, size.segments) == ("GSM-7", 2)


def test_accented_text_outside_gsm7_switches_to_ucs2() -> None:
    size = measure("Votre panier ⏳ vous attend")
    assert size.encoding == "UCS-2"
    assert measure("ç" * 71).segments == 2


def test_sms_preview_renders_liquid_for_the_contact_and_counts_segments() -> None:
    preview = render_preview("message.sms", {"body": "Hi {{ contact.first_name }}"}, {"contact": {"first_name": "Léa"}})
    assert preview.fields["body"] == "Hi Léa"
    assert preview.sms is not None and preview.sms.segments == 1


def test_broken_template_preview_reports_the_error_instead_of_raising() -> None:
    preview = render_preview("message.email", {"subject": "{% if %}", "body": "x"}, {"contact": {}})
    assert "subject" in preview.errors


def test_node_views_carry_ports_summary_and_problems() -> None:
    doc = editing.remove(cart(), ["done"])
    views = {n["id"]: n for n in node_views(doc, validate(doc))}
    assert [p["name"] for p in views["wait_1h"]["ports"]] == ["event", "timeout"]
    assert views["wait_1h"]["summary"].startswith("Wait for Order Completed")
    assert views["email"]["problems"]
    assert views["done" if "done" in views else "bought_early"]["ports"] == []


def test_edges_of_labelled_ports_carry_the_port_label() -> None:
    doc = cart()
    nodes = node_views(doc, [])
    labels = {e["id"]: e["label"] for e in edge_views(doc, nodes)}
    assert labels["wait_1h:timeout->sms"] == "Timed out"
    assert labels["entry:next->wait_1h"] == ""


def test_palette_lists_every_node_type_once() -> None:
    assert sorted(item["type"] for item in palette()) == sorted(REGISTRY)
