"""The journey document: parsing, canonical export, NetworkX loading and the published JSON Schema."""

from __future__ import annotations

import json

import jsonschema
import networkx as nx
import pytest

from journeys import document
from journeys.document import DocumentError
from journeys.nodes import REGISTRY
from journeys.templates import list_templates
from tests.conftest import ROOT

REQUIRED_TEMPLATES = {
    "abandoned_cart",
    "app_onboarding",
    "new_feature",
    "geo_store_push",
    "fraud_alert",
    "payment_reminder",
    "flight_delay",
    "checkin_reminder",
    "birthday_offer",
    "promo_push",
    "past_trips_offer",
}


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.slug)
def test_template_round_trips_byte_for_byte(template) -> None:
    text = template.path.read_text(encoding="utf-8")
    assert document.dumps(document.parse(text)) == text


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.slug)
def test_exported_file_loads_unchanged_in_networkx(template) -> None:
    data = json.loads(template.path.read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="edges")
    assert set(graph.nodes) == {n["id"] for n in data["nodes"]}
    assert graph.number_of_edges() == len(data["edges"])
    assert nx.is_directed_acyclic_graph(graph)
    first = data["nodes"][0]
    assert graph.nodes[first["id"]]["type"] == first["type"]


def test_all_use_case_templates_ship() -> None:
    assert {t.slug for t in list_templates()} >= REQUIRED_TEMPLATES


def test_two_ports_to_one_step_survive_networkx() -> None:
    doc = document.parse(
        {
            "schema_version": 1,
            "name": "x",
            "nodes": [{"id": "a", "type": "split", "config": {}}, {"id": "b", "type": "exit"}],
            "edges": [{"source": "a", "target": "b", "port": "A"}, {"source": "a", "target": "b", "port": "B"}],
        }
    )
    graph = document.to_graph(doc)
    assert sorted(d["port"] for _, _, d in graph.edges(data=True)) == ["A", "B"]
    assert document.from_graph(graph, name="x") == doc


def test_edge_without_id_gets_a_stable_one() -> None:
    doc = document.parse({"schema_version": 1, "name": "x", "edges": [{"source": "a", "target": "b"}]})
    assert doc.edges[0].id == "a:next->b"


def test_not_json_names_line_and_column() -> None:
    with pytest.raises(DocumentError, match=r"line 1 column 8: not valid JSON"):
        document.parse('{"oops"')


def test_too_large_file_is_refused() -> None:
    with pytest.raises(DocumentError, match="the limit is"):
        document.parse(" " * (document.MAX_DOCUMENT_BYTES + 1))


def test_wrong_schema_version_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"schema_version: unsupported schema_version 2"):
        document.parse({"schema_version": 2, "name": "x"})


def test_bad_shape_names_its_location() -> None:
    with pytest.raises(DocumentError, match=r"nodes\[0\]\.position\.x"):
        document.parse(
            {"schema_version": 1, "name": "x", "nodes": [{"id": "a", "type": "exit", "position": {"x": "left"}}]}
        )


def test_unknown_top_level_field_is_refused() -> None:
    with pytest.raises(DocumentError, match="secret_key: Extra inputs are not permitted"):
        document.parse({"schema_version": 1, "name": "x", "secret_key": "abc"})


def test_json_schema_describes_every_node_type() -> None:
    schema = document.json_schema()
    node_refs = json.dumps(schema["$defs"])
    for node_type in REGISTRY:
        assert f'"const": "{node_type}"' in node_refs, node_type
    assert schema["properties"]["schema_version"]["const"] == 1


def test_json_schema_accepts_templates() -> None:
    schema = document.json_schema()
    for path in sorted((ROOT / "journeys" / "templates").glob("*.json")):
        jsonschema.validate(json.loads(path.read_text()), schema)
