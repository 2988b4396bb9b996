"""The Liquid fast path renders exactly what python-liquid renders."""

from __future__ import annotations

import pytest

from journeys.liquid import TemplateError, render
from journeys.liquid_fast import render_fast

CONTEXT = {
    "contact": {"first_name": "Ann", "age": 0, "empty": "", "flag": False, "tags": ["a", "b"], "ratio": 1.5},
    "event": {"cart": {"url": "https://x/y?a=1&b=2"}, "n": 3},
}


@pytest.mark.parametrize(
    "source",
    [
        "plain text",
        "Hi {{ contact.first_name }}!",
        "{{contact.first_name}}{{ event.n }}",
        "{{ contact.missing | default: 'there' }}",
        '{{ contact.empty | default: "friend" }}',
        "{{ contact.blank_ish | default: 'x' }} {{ event.n | default: 'none' }}",
        "{{ contact.age | default: 'none' }}",
        "{{ contact.flag | default: 'no' }}",
        "{{ contact.tags }} {{ contact.ratio }}",
        "{{ event.cart.url }} {{ event.cart.missing.deeper }}",
        "{{ contact.first_name | upcase }}",
        "{% if contact.age %}yes{% endif %}",
        "{{- contact.first_name -}}",
    ],
)
def test_fast_path_matches_python_liquid(source: str) -> None:
    assert _outcome(render_fast, source) == _outcome(render, source)


def _outcome(renderer, source: str) -> str:
    try:
        return renderer(source, CONTEXT)
    except TemplateError as exc:
        return f"error: {exc}"
