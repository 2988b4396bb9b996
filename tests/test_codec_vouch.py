"""The tracking API's shortcut: a body the parser vouches for needs no per-value codec check.

``codec.parse_checked`` may say "not sure" as often as it likes, but must never vouch for a body holding a
value that ``check`` refuses, at any level a message, its context or a group's traits can take.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from journeys import codec


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


ODD = ["\ud800", 'quote " inside', "brackets {[", "\\", 2**63, 2**63 - 1, -(2**63) - 1, 2**70, 10**18, 1e308]
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(ODD),
    st.integers(min_value=-(2**66), max_value=2**66),
    st.floats(allow_nan=True, allow_infinity=True),
)
values = st.one_of(
    st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=12,
    ),
    st.integers(min_value=29, max_value=35).map(_nested),
)


def _refused_anywhere(value: Any) -> bool:
    """The strictest check any part of a body gets: each part at a level equal to its nesting in the body
    (a group's traits in a single call are checked at level 2 while they sit at nesting 2)."""
    return bool(codec.check(value, depth=1))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["batch", "context", "traits", "properties"]), values, max_size=3))
def test_a_vouched_body_holds_nothing_the_codec_refuses(body: dict[str, Any]) -> None:
    text = json.dumps(body).encode()  # NaN and Infinity as bare tokens, surrogates as \\ud800 escapes
    parsed, vouched = codec.parse_checked(text)
    assert parsed == json.loads(text) or text.count(b"NaN")  # NaN != NaN: the same value either way
    if vouched:
        assert not _refused_anywhere(parsed), text


def test_ordinary_tracking_bodies_are_vouched_for() -> None:
    message = {"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"price": 19.99}}
    body = json.dumps({"batch": [message] * 3, "context": {"os": {"name": "iOS"}}}).encode()
    assert codec.parse_checked(body) == (json.loads(body), True)


def test_what_the_codec_refuses_is_never_vouched_for() -> None:
    for bad in (
        b'{"n": 9223372036854775808}',  # one past the signed 64-bit range, which orjson itself would accept
        b'{"n": NaN}',
        b'{"s": "\\ud800"}',
        json.dumps({"deep": _nested(40)}).encode(),
        b'{"n": 123456789012345678901234}',
    ):
        assert codec.parse_checked(bad)[1] is False, bad


def test_strings_full_of_brackets_do_not_count_as_nesting() -> None:
    body = json.dumps({"note": "[" * 100 + "{" * 100, "deep": _nested(5)}).encode()
    assert codec.parse_checked(body)[1] is True
    escaped = json.dumps({"note": 'a "quoted" [[[[ word'}).encode()
    assert codec.parse_checked(escaped) == (json.loads(escaped), False)  # not sure: the exact check decides
