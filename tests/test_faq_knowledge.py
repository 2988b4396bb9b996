"""The knowledge base's CSV import and its edits: a bad row is named by line and column and nothing is written;
an intent is unique per language; every change is audited; the export reads back and cannot smuggle formulas."""

from __future__ import annotations

import pytest

from app.access import audit
from app.conversations import knowledge_store
from app.conversations.knowledge import EntryError, parse_csv
from app.core.context import AppContext
from journeys.errors import ConflictError, NotFoundError

GOOD = (
    "lang,intent,questions,answer\n"
    "en,delivery_time,How long is delivery? | When will it arrive?,Two to four days.\n"
    'fr,delivery_time,Quel délai de livraison ?,"De 2 à 4 jours, ouvrés."\n'
)


def _intents(ctx: AppContext) -> list[tuple[str, str]]:
    return [(r["lang"], r["intent"]) for r in knowledge_store.entries(ctx)]


def test_import_creates_entries_and_a_second_import_updates_them(ctx: AppContext) -> None:
    assert knowledge_store.import_csv(ctx, GOOD, actor="ann@example.com") == (2, 0)
    changed = GOOD.replace("Two to four days.", "Three days.")
    assert knowledge_store.import_csv(ctx, changed, actor="ann@example.com") == (0, 2)
    rows = {(r["lang"], r["intent"]): r for r in knowledge_store.entries(ctx)}
    assert rows["en", "delivery_time"]["answer"] == "Three days."
    assert rows["en", "delivery_time"]["questions"] == ["How long is delivery?", "When will it arrive?"]
    assert rows["fr", "delivery_time"]["answer"] == "De 2 à 4 jours, ouvrés."
    assert [e.action for e in audit.entries(ctx, action="faq.import")] == ["faq.import", "faq.import"]


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("de,returns,Return?,Yes.", "line 3, column lang"),
        ("en,Returns policy!,Return?,Yes.", "line 3, column intent"),
        ("en,returns,,Yes.", "line 3, column questions"),
        ("en,returns,Return?,", "line 3, column answer"),
        ("en,delivery_time,Again?,Duplicate.", "line 3, column intent"),
        ("en,returns,Return?,Yes, within 30 days.", "line 3, column answer"),
    ],
)
def test_a_bad_row_names_its_line_and_column_and_nothing_is_written(ctx: AppContext, row: str, where: str) -> None:
    knowledge_store.import_csv(ctx, "lang,intent,questions,answer\nfr,retours,Retour ?,Oui.\n", actor="test")
    text = GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n" + row + "\n"
    with pytest.raises(EntryError) as refused:
        knowledge_store.import_csv(ctx, text, actor="test", replace=True)
    assert str(refused.value).startswith(where)
    assert _intents(ctx) == [("fr", "retours")]  # neither the good row nor the replacement happened


def test_a_file_without_the_expected_columns_is_refused() -> None:
    with pytest.raises(EntryError, match="line 1, column header: missing column"):
        parse_csv("language,question,reply\nen,Hi?,Hello.\n")
    with pytest.raises(EntryError, match="not a text CSV"):
        parse_csv("lang,intent,questions,answer\n\x00\x01")


def test_replace_drops_the_entries_missing_from_the_file(ctx: AppContext) -> None:
    knowledge_store.import_csv(ctx, "lang,intent,questions,answer\nfr,retours,Retour ?,Oui.\n", actor="test")
    knowledge_store.import_csv(ctx, GOOD, actor="test", replace=True)
    assert _intents(ctx) == [("en", "delivery_time"), ("fr", "delivery_time")]


def test_an_intent_is_unique_per_language(ctx: AppContext) -> None:
    first = knowledge_store.save_entry(
        ctx, entry_id=None, lang="en", intent="returns", questions="Return?", answer="Yes.", actor="ann@example.com"
    )
    knowledge_store.save_entry(
        ctx, entry_id=None, lang="fr", intent="returns", questions="Retour ?", answer="Oui.", actor="ann@example.com"
    )
    with pytest.raises(ConflictError, match="intent: en/returns already exists"):
        knowledge_store.save_entry(
            ctx, entry_id=None, lang="en", intent="returns", questions="Again?", answer="No.", actor="ann@example.com"
        )
    knowledge_store.delete_entry(ctx, first, actor="ann@example.com")
    with pytest.raises(NotFoundError):
        knowledge_store.delete_entry(ctx, first, actor="ann@example.com")
    actions = [(e.actor, e.action, e.target) for e in audit.entries(ctx) if e.action.startswith("faq.")]
    assert actions[0] == ("ann@example.com", "faq.delete", "en/returns")


def test_export_reads_back_and_neutralises_formulas(ctx: AppContext) -> None:
    knowledge_store.import_csv(ctx, GOOD, actor="test")
    knowledge_store.save_entry(
        ctx, entry_id=None, lang="en", intent="sum", questions="Total?", answer="=1+1", actor="test"
    )
    exported = knowledge_store.export_csv(ctx)
    back = {(e.lang, e.intent): e for e in parse_csv(exported)}
    assert back["fr", "delivery_time"].answer == "De 2 à 4 jours, ouvrés."
    assert back["en", "delivery_time"].questions == ("How long is delivery?", "When will it arrive?")
    assert back["en", "sum"].answer == "'=1+1"


def test_a_semicolon_file_from_a_french_spreadsheet_is_read() -> None:
    header = "\ufefflang;intent;questions;answer\r\n"
    text = header + "fr;retours;Comment retourner un article ?;Sous 30 jours, gratuitement.\r\n"
    (entry,) = parse_csv(text)
    assert (entry.lang, entry.intent, entry.answer) == ("fr", "retours", "Sous 30 jours, gratuitement.")
