"""Every violation kind is caught, named on its node or edge, and absent from a valid journey."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from journeys import document
from journeys.templates import list_templates
from journeys.validation import CODES, validate
from tests.conftest import load_template_dict

Doc = dict[str, Any]


def base() -> Doc:
    return load_template_dict("abandoned_cart")


def node(doc: Doc, node_id: str) -> Doc:
    return next(n for n in doc["nodes"] if n["id"] == node_id)


def codes(doc: Doc) -> list[tuple[str, str | None, str | None]]:
    return [(v.code, v.node_id, v.edge_id) for v in validate(document.parse(doc))]


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.slug)
def test_every_template_is_valid(template) -> None:
    assert [str(v) for v in validate(template.load())] == []


def add_cycle(doc: Doc) -> None:
    doc["edges"].append({"source": "email", "target": "wait_24h", "port": "next"})
    doc["edges"] = [e for e in doc["edges"] if not (e["source"] == "email" and e["target"] == "done")]


def add_second_entry(doc: Doc) -> None:
    doc["nodes"].append({"id": "entry2", "type": "entry.api", "name": "API", "config": {}})
    doc["edges"].append({"source": "entry2", "target": "sms", "port": "next"})


def remove_entry(doc: Doc) -> None:
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != "entry"]
    doc["edges"] = [e for e in doc["edges"] if e["source"] != "entry"]


def add_unreachable(doc: Doc) -> None:
    doc["nodes"].append({"id": "orphan", "type": "message.push", "config": {"body": "hi"}})
    doc["nodes"].append({"id": "orphan_exit", "type": "exit"})
    doc["edges"].append({"source": "orphan", "target": "orphan_exit", "port": "next"})


def add_dead_end(doc: Doc) -> None:
    doc["edges"] = [e for e in doc["edges"] if e["source"] != "email"]
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != "done"]


def add_dangling_edge(doc: Doc) -> None:
    doc["edges"].append({"source": "sms", "target": "ghost", "port": "next"})


def reuse_port(doc: Doc) -> None:
    doc["edges"].append({"source": "sms", "target": "done", "port": "next"})


def leave_timeout_unwired(doc: Doc) -> None:
    doc["edges"] = [e for e in doc["edges"] if not (e["source"] == "wait_24h" and e["port"] == "timeout")]


def unknown_port(doc: Doc) -> None:
    for edge in doc["edges"]:
        if edge["source"] == "wait_1h" and edge["port"] == "event":
            edge["port"] = "purchase"


def bad_split_weights(doc: Doc) -> None:
    # Turn the SMS step into a 60/30 split whose two variants both continue to the 24 h wait.
    sms = node(doc, "sms")
    sms.update(type="split", config={"variants": [{"port": "A", "weight": 60}, {"port": "B", "weight": 30}]})
    doc["edges"] = [e for e in doc["edges"] if e["source"] != "sms"]
    doc["edges"] += [
        {"source": "sms", "port": "A", "target": "wait_24h"},
        {"source": "sms", "port": "B", "target": "wait_24h"},
    ]


def wrong_config_type(doc: Doc) -> None:
    node(doc, "wait_1h")["config"]["timeout"] = {"amount": "soon", "unit": "hours"}


def broken_liquid(doc: Doc) -> None:
    node(doc, "sms")["config"]["body"] = "Hi {{ contact.first_name "


def unknown_type(doc: Doc) -> None:
    node(doc, "sms")["type"] = "message.carrier_pigeon"


def duplicate_id(doc: Doc) -> None:
    doc["nodes"].append(copy.deepcopy(node(doc, "done")))


def edge_into_entry(doc: Doc) -> None:
    doc["edges"].append({"source": "sms", "target": "entry", "port": "next"})


CASES: list[tuple[str, Callable[[Doc], None], str | None]] = [
    ("cycle", add_cycle, "email"),
    ("multiple_entries", add_second_entry, "entry2"),
    ("no_entry", remove_entry, None),
    ("unreachable", add_unreachable, "orphan"),
    ("dead_end", add_dead_end, "email"),
    ("dangling_edge", add_dangling_edge, None),
    ("port_reused", reuse_port, "sms"),
    ("port_missing", leave_timeout_unwired, "wait_24h"),
    ("unknown_port", unknown_port, "wait_1h"),
    ("split_weights", bad_split_weights, "sms"),
    ("invalid_config", wrong_config_type, "wait_1h"),
    ("template_syntax", broken_liquid, "sms"),
    ("unknown_type", unknown_type, "sms"),
    ("duplicate_id", duplicate_id, "done"),
    ("entry_incoming", edge_into_entry, "entry"),
]


def test_every_code_has_a_case() -> None:
    assert {c for c, _, _ in CASES} == set(CODES)


@pytest.mark.parametrize(("code", "mutate", "node_id"), CASES, ids=[c for c, _, _ in CASES])
def test_violation_is_reported_on_its_step(code: str, mutate: Callable[[Doc], None], node_id: str | None) -> None:
    doc = base()
    assert codes(doc) == []
    mutate(doc)
    found = codes(doc)
    assert any(c == code for c, _, _ in found), found
    if node_id is not None:
        assert any(c == code and n == node_id for c, n, _ in found), found


def test_dangling_edge_names_the_edge() -> None:
    doc = base()
    add_dangling_edge(doc)
    assert ("dangling_edge", None, "sms:next->ghost") in codes(doc)


def test_unknown_type_is_kept_not_dropped() -> None:
    doc = base()
    unknown_type(doc)
    parsed = document.parse(doc)
    assert parsed.node("sms").type == "message.carrier_pigeon"
    assert "message.carrier_pigeon" in document.dumps(parsed)


def test_invalid_config_message_names_the_field() -> None:
    doc = base()
    wrong_config_type(doc)
    messages = [v.message for v in validate(document.parse(doc)) if v.code == "invalid_config"]
    assert messages and messages[0].startswith("timeout.amount:")


def test_branch_needs_both_outcomes_wired() -> None:
    doc = load_template_dict("geo_store_push")
    doc["edges"] = [e for e in doc["edges"] if e["port"] != "no"]
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != "exit_far"]
    assert ("port_missing", "near", None) in codes(doc)


def test_violation_text_is_plain_language() -> None:
    doc = base()
    add_cycle(doc)
    text = [str(v) for v in validate(document.parse(doc)) if v.code == "cycle"][0]
    assert "loop" in text and "email" in text
