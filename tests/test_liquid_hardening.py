"""A hostile message template cannot read files, loop forever, exhaust memory or burn the engine's CPU.

Each case must fail fast with TemplateError (a one-line reason), never hang or raise anything else.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from journeys import liquid
from journeys.liquid import TemplateError, render

# Generous: each case takes milliseconds when bounded; unbounded, several took minutes and gigabytes.
FAST_SECONDS = 3.0
SMALL_BYTES = 50_000_000


def refused(source: str, match: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TemplateError, match=match):
            render(source, {"contact": {"first_name": "Ana"}})
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < FAST_SECONDS, f"took {elapsed:.1f} s"
    assert peak < SMALL_BYTES, f"used {peak / 1e6:.0f} MB"


@pytest.mark.parametrize(
    "source",
    [
        "{% include '/etc/passwd' %}",
        "{% render '../../pyproject.toml' %}",
        "{% include 'journeys/liquid.py' %}",
        "{% render 'data/secret.key' with contact %}",
    ],
)
def test_include_and_render_cannot_read_files(source: str) -> None:
    with pytest.raises(TemplateError) as error:
        render(source, {"contact": {}})
    assert "root:" not in str(error.value) and "[project]" not in str(error.value)


def test_python_internals_are_not_reachable() -> None:
    text = render("{{ contact.__class__ }}{{ contact.items }}{{ contact.__init__.__globals__ }}", {"contact": {}})
    assert text == ""


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ("{% for i in (1..100000000) %}x{% endfor %}", "loop"),
        ("{% for a in (1..5000) %}{% for b in (1..5000) %}{% endfor %}{% endfor %}", "loop"),
        ("{% tablerow i in (1..100000000) %}{{ i }}{% endtablerow %}", "loop"),
        # python-liquid copies a reversed loop into a list before counting iterations: 4 GB before the bound
        ("{% for i in (1..100000000) reversed %}{{ i }}{% endfor %}", "loop over more than"),
        # ... and skips an offset item by item: hours for a large enough range
        ("{% for i in (1..999999999999999999) offset: 999999999999999990 %}{{ i }}{% endfor %}", "loop over"),
    ],
)
def test_loops_are_bounded(source: str, match: str) -> None:
    refused(source, match)


@pytest.mark.parametrize(
    ("source", "match"),
    [
        (
            "{% capture s %}{% for i in (1..9000) %}{{ 'x' | append: '0123456789012345678901234567890123456789' }}"
            "{% endfor %}{% endcapture %}{{ s }}",
            "limit",
        ),
        ("{% assign s = 'aaaaaaaaaa' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}", "limit"),
        # these built 1-4 GB before python-liquid's namespace limit was even checked
        ("{% assign s = (1..50000000) | join: ',' %}", "too large"),
        ("{% assign a = (1..30000000) | sort %}", "too large"),
        ("{% assign a = (1..30000000) | uniq %}", "too large"),
        ("{% assign a = (1..30000000) | compact %}", "too large"),
        (
            "{% assign s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"
            " | replace: 'a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'"
            " | replace: 'b', 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc' %}",
            "too large",
        ),
        ("{% assign n = 99999999999 %}{% for i in (1..5000) %}{% assign n = n | times: n %}{% endfor %}", "limit"),
    ],
)
def test_memory_is_bounded(source: str, match: str) -> None:
    refused(source, match)


@pytest.mark.parametrize(
    "source",
    [
        # 24 s of CPU before the work budget
        "{% for i in (1..10000) %}{% assign s = (1..10000) | join: ',' %}{% endfor %}",
        # python-liquid's uniq is quadratic: one call on 10,000 items took over 30 s
        "{% assign s = (1..10000) | uniq %}",
    ],
)
def test_cpu_work_is_bounded(source: str) -> None:
    refused(source, "too much work")


def test_deep_nesting_is_refused() -> None:
    refused("{% if true %}" * 200 + "x" + "{% endif %}" * 200, "nesting")


def test_each_render_gets_a_fresh_budget() -> None:
    source = "{% assign s = (1..5000) | join: ',' %}{{ s | size }}"
    for _ in range(3 * liquid.WORK_BUDGET // 30_000):
        assert render(source, {}) == "23892"


def test_ordinary_personalisation_still_works() -> None:
    source = (
        "Bonjour {{ contact.first_name | capitalize }}, {{ items | map: 'name' | join: ', ' }}"
        " — {{ 3 | times: 4 }} {% for i in (1..3) reversed %}{{ i }}{% endfor %}"
        " {{ tags | uniq | join: '/' }} {{ 'a-b' | replace: '-', ' & ' }}"
    )
    context = {"contact": {"first_name": "ana"}, "items": [{"name": "vol"}, {"name": "hôtel"}], "tags": ["x", "x", "y"]}
    assert render(source, context) == "Bonjour Ana, vol, hôtel — 12 321 x/y a & b"
