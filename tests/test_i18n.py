"""Every visible string exists in English and French, read from the JSON catalogs."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from app.i18n import CATALOGS, LANGUAGES, load_catalogs, pick_language, t, tables, tn


def placeholders(entry: str | dict[str, str]) -> set[str]:
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


def test_french_and_english_have_the_same_keys_placeholders_and_plural_entries() -> None:
    merged = tables()
    assert len(merged["en"]) > 1000 and set(merged["en"]) == set(merged["fr"])
    for key, english in merged["en"].items():
        french = merged["fr"][key]
        assert isinstance(french, dict) == isinstance(english, dict), key
        assert placeholders(french) == placeholders(english), key
    texts = [
        v for code in LANGUAGES for e in merged[code].values() for v in (e.values() if isinstance(e, dict) else [e])
    ]
    assert all(text.strip() for text in texts)


def test_every_area_has_a_catalog_in_each_language() -> None:
    areas = {code: sorted(p.name for p in (CATALOGS / code).glob("*.json")) for code in LANGUAGES}
    assert areas["en"] == areas["fr"] and "wording.json" in areas["en"]


def test_lookup_in_each_language() -> None:
    assert t("journeys.empty.title", lang="fr") == "Aucun parcours pour l'instant"
    assert t("journeys.empty.title", lang="en") == "No journeys yet"
    assert tn("wording.problems_found", 2, lang="en") == "2 problems to fix before publishing"
    assert t("no.such.key", lang="fr") == "no.such.key"


def write_catalogs(folder: Path, areas: dict[str, object]) -> None:
    """The same catalog for every language: ``areas`` maps an area name to its JSON content."""
    for code in LANGUAGES:
        (folder / code).mkdir()
        for area, catalog in areas.items():
            (folder / code / f"{area}.json").write_text(json.dumps(catalog), encoding="utf-8")


def test_a_python_catalog_left_over_is_refused_with_what_to_do(tmp_path: Path) -> None:
    write_catalogs(tmp_path, {"area": {"area.title": "T"}})
    assert load_catalogs(tmp_path)["fr"] == {"area.title": "T"}
    (tmp_path / "conversations.py").write_text("EN = {}\nFR = {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"JSON files now: convert conversations\.py"):
        load_catalogs(tmp_path)


@pytest.mark.parametrize(
    ("catalog", "refusal"),
    [
        ({"a.n": {"one": "x"}}, r"'a.n' must be a text or an object"),
        ({"a.n": 3}, r"'a.n' must be a text or an object"),
    ],
)
def test_a_malformed_entry_is_refused_naming_the_key(tmp_path: Path, catalog: dict, refusal: str) -> None:
    write_catalogs(tmp_path, {"area": catalog})
    with pytest.raises(ValueError, match=refusal):
        load_catalogs(tmp_path)


def test_a_key_defined_in_two_areas_is_refused(tmp_path: Path) -> None:
    write_catalogs(tmp_path, {area: {"x.title": area} for area in ("one", "two")})
    with pytest.raises(ValueError, match=r"two\.json: translation key 'x.title' is defined twice"):
        load_catalogs(tmp_path)


def test_language_comes_from_choice_then_browser() -> None:
    assert pick_language("en", "fr-FR,fr;q=0.9") == "en"
    assert pick_language(None, "fr-FR,fr;q=0.9,en;q=0.8") == "fr"
    assert pick_language(None, "de-DE") == "en"
