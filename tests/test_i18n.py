"""Every visible string exists in English and French."""

from app.i18n import LANGUAGES, pick_language, t, tables


def test_french_and_english_have_the_same_keys() -> None:
    merged = tables()
    assert set(merged["en"]) == set(merged["fr"])
    assert all(merged[code][key].strip() for code in LANGUAGES for key in merged[code])


def test_lookup_in_each_language() -> None:
    assert t("journeys.empty.title", lang="fr") == "Aucun parcours pour l'instant"
    assert t("journeys.empty.title", lang="en") == "No journeys yet"


def test_language_comes_from_choice_then_browser() -> None:
    assert pick_language("en", "fr-FR,fr;q=0.9") == "en"
    assert pick_language(None, "fr-FR,fr;q=0.9,en;q=0.8") == "fr"
    assert pick_language(None, "de-DE") == "en"
