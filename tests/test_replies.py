"""How a reply picks its port at a wait-for-reply step: synonyms, accents, numbers, safe patterns, intents."""

from __future__ import annotations

import pytest

from journeys import document, replies
from journeys.nodes.wait_reply import Config, views
from journeys.validation import validate as validate_doc
from tests.conversation_support import CONFIRM

RULES = views(
    Config.model_validate(
        {
            "rules": [
                {"port": "yes", "kind": "keyword", "keywords": ["oui"]},
                {"port": "no", "kind": "keyword", "keywords": ["no"]},
                {"port": "rating", "kind": "number", "min": 1, "max": 5},
                {"port": "zip", "kind": "regex", "pattern": r"^\d{5}$"},
                {"port": "hours", "kind": "intent", "intent": "opening_hours"},
            ]
        }
    )
)


@pytest.mark.parametrize(
    ("text", "port"),
    [
        ("oui", "yes"),
        ("OUI", "yes"),
        ("Yes", "yes"),
        ("ok", "yes"),
        ("y", "yes"),
        ("Sí", "yes"),
        ("  Ouí !  ", "yes"),
        ("oui merci beaucoup", "yes"),
        ("Non", "no"),
        ("n", "no"),
        ("NO.", "no"),
        ("3", "rating"),
        ("4,5", "rating"),
        ("9", "no_match"),
        ("75011", "zip"),
        ("youpi", "no_match"),
        ("nonsense", "no_match"),
        ("", "no_match"),
    ],
)
def test_a_reply_takes_the_port_of_the_first_rule_it_matches(text: str, port: str) -> None:
    assert replies.port_for(RULES, text) == port


def test_an_intent_rule_matches_the_intent_found_for_the_reply() -> None:
    assert replies.port_for(RULES, "vous ouvrez quand ?", "opening_hours") == "hours"
    assert replies.port_for(RULES, "vous ouvrez quand ?", "refunds") == "no_match"
    assert replies.port_for(RULES, "vous ouvrez quand ?", None) == "no_match"


@pytest.mark.parametrize("pattern", ["(a+)+$", r"(\w*)*x", "(a|aa)+$", "(x+x+)+y"])
def test_patterns_that_can_backtrack_forever_are_refused(pattern: str) -> None:
    assert "nested quantifiers" in (replies.pattern_problem(pattern) or "")


def test_a_hostile_reply_is_matched_quickly_on_a_bounded_prefix() -> None:
    rules = views(Config.model_validate({"rules": [{"port": "a", "kind": "regex", "pattern": r"^a*b"}]}))
    assert replies.port_for(rules, "a" * 1_000_000) == "no_match"
    assert replies.port_for(rules, "a" * 10 + "b") == "a"


def validate(data: dict) -> list:
    return validate_doc(document.parse(data))


def _with_rules(rules: list[dict]) -> dict:
    doc = {**CONFIRM, "nodes": [dict(n) for n in CONFIRM["nodes"]]}
    wait = next(n for n in doc["nodes"] if n["id"] == "wait")
    wait["config"] = {**wait["config"], "rules": rules}
    return doc


def test_an_invalid_or_unsafe_pattern_is_a_validation_problem_of_its_step() -> None:
    base = [
        {"port": "yes", "kind": "keyword", "keywords": ["yes"]},
        {"port": "no", "kind": "keyword", "keywords": ["non"]},
    ]
    for pattern in ("[unclosed", "(a+)+", "x" * 201):
        rules = [*base, {"port": "number", "kind": "regex", "pattern": pattern}]
        problems = validate(_with_rules(rules))
        assert [(p.node_id, p.code) for p in problems] == [("wait", "invalid_config")], pattern


def test_the_document_names_reserved_and_reused_ports() -> None:
    reused = [{"port": "yes", "kind": "keyword", "keywords": ["y"]}] * 2
    assert any("used by more than one rule" in p.message for p in validate(_with_rules(reused)))
    reserved = [{"port": "timeout", "kind": "keyword", "keywords": ["later"]}]
    assert any(p.node_id == "wait" for p in validate(_with_rules(reserved)))
    assert validate(CONFIRM) == []


def test_a_broken_liquid_value_of_an_update_attribute_step_is_a_template_problem() -> None:
    doc = {**CONFIRM, "nodes": [dict(n) for n in CONFIRM["nodes"]]}
    keep = next(n for n in doc["nodes"] if n["id"] == "keep")
    keep["config"] = {"updates": [{"attribute": "answer", "op": "set", "value": "{{ reply.text "}]}
    assert [(p.node_id, p.code) for p in validate(doc)] == [("keep", "template_syntax")]
