"""The hot-path JSON helpers: compact output, values JSON cannot hold written as text, faithful round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from storage import raw


def test_round_trip_keeps_unicode_nesting_and_numbers() -> None:
    value = {"name": "Zoë 🎉", "items": [1, 2.5, None, True], "nested": {"a": {"b": "c"}}}
    text = raw.dumps(value)
    assert " " not in text.replace("Zoë 🎉", "")
    assert raw.loads(text) == value
    assert json.loads(text) == value


def test_dates_and_decimals_are_written_as_their_text() -> None:
    when = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert raw.loads(raw.dumps({"at": when, "price": Decimal("9.90")})) == {"at": str(when), "price": "9.90"}


def test_integers_beyond_64_bits_keep_every_digit() -> None:
    big = 2**70 + 1
    assert raw.loads(raw.dumps({"n": big})) == {"n": big}
    assert raw.parse(b"[18446744073709551617, 1.5]") == [2**64 + 1, 1.5]
    assert raw.loads_shared('{"n": 123456789012345678901}') == {"n": 123456789012345678901}


def test_non_string_keys_become_text() -> None:
    assert raw.loads(raw.dumps({1: "a"})) == {"1": "a"}


def test_empty_and_missing_values_load_as_empty_objects() -> None:
    assert raw.loads(None) == {}
    assert raw.loads("{}") == {}
    assert raw.loads({"already": "parsed"}) == {"already": "parsed"}
