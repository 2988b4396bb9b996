"""Every translation key the code names literally exists in English and French (plural keys in both forms)."""

from __future__ import annotations

import re
from pathlib import Path

from app import wording, wording_keys
from app.i18n import LANGUAGES, tables

ROOT = Path(__file__).resolve().parent.parent
CALL = re.compile(r"""\b(tn?)\(\s*"([a-z_]+(?:\.[a-z0-9_]+)+)"(?=[,)\s])""")


def used_keys() -> dict[str, set[str]]:
    """Literal keys passed to ``t`` and ``tn`` in app/ and components/, by function."""
    found: dict[str, set[str]] = {"t": set(), "tn": set()}
    for folder in ("app", "components"):
        for path in (ROOT / folder).rglob("*.py"):
            if "translations" in path.parts:
                continue
            for function, key in CALL.findall(path.read_text(encoding="utf-8")):
                found[function].add(key)
    return found


def test_every_key_of_the_wording_tables_exists_in_every_language() -> None:
    tables_ = (
        wording_keys.SUMMARY_KEYS,
        wording_keys.FIX_KEYS,
        wording_keys.PROBLEM_KEYS,
        wording_keys.DURATION_KEYS,
        wording_keys.AUTH_KEYS,
        wording.FIELD_LABELS,
        wording.MESSAGE_FIELD_LABELS,
    )
    keys = {key for table in tables_ for key in table.values()}
    for code in LANGUAGES:
        table = tables()[code]
        for key in keys:
            plural = key in wording_keys.PLURAL_KEYS
            assert isinstance(table.get(key), dict if plural else str), (code, key)
    used = used_keys()
    defined = {k for k in tables()["en"] if k.startswith("wording.")}
    assert defined == {k for k in keys | used["t"] | used["tn"] if k.startswith("wording.")}  # none unreachable


def test_every_literal_key_exists_in_every_language() -> None:
    used = used_keys()
    assert len(used["t"]) > 300 and used["tn"]  # the scan finds the code's keys
    for code in LANGUAGES:
        table = tables()[code]
        assert sorted(k for k in used["t"] if k not in table) == [], code
        missing = sorted(k for k in used["tn"] if not isinstance(table.get(k), dict))
        assert missing == [], code
