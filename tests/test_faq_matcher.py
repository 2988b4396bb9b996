"""The FAQ bot on a labelled set of questions in English and French: it answers the paraphrases of its entries,
hands over what it does not know and whoever asks for a person; its index follows the knowledge base's edits."""

from __future__ import annotations

from app.conversations import faq, knowledge_store
from app.conversations.knowledge import Entry, KnowledgeBase
from app.core.context import AppContext
from tests import faq_support


def _add(ctx: AppContext, lang: str, intent: str, questions: str, answer: str) -> None:
    knowledge_store.save_entry(
        ctx, entry_id=None, lang=lang, intent=intent, questions=questions, answer=answer, actor="test"
    )


def test_labelled_set_meets_the_accuracy_and_handover_bars() -> None:
    rows = faq_support.sample_labelled()
    scores = faq_support.score(faq_support.sample_knowledge(), rows)
    assert len(rows) >= 150 and {r.lang for r in rows} == {"en", "fr"}
    assert scores.top1_accuracy >= 0.90, scores.misses
    assert scores.out_of_scope_handover >= 0.80, scores.misses
    assert scores.human_handed_over == scores.human > 0


def test_case_accents_and_punctuation_do_not_change_the_answer() -> None:
    kb = faq_support.sample_knowledge()
    plain = faq.match(kb, "ou est ma commande", "fr")
    shouted = faq.match(kb, "OÙ EST MA COMMANDE ???", "fr")
    assert plain is not None and shouted is not None
    assert plain.intent == shouted.intent == "order_tracking"
    assert plain.confidence == shouted.confidence


def test_asking_for_a_person_hands_over_even_with_a_known_question() -> None:
    kb = faq_support.sample_knowledge()
    assert faq.match(kb, "Where is my order?", "en") is not None
    assert faq.match(kb, "Where is my order? I want to talk to a person", "en") is None
    assert faq.match(kb, "Je voudrais parler à quelqu'un pour ma commande", "fr") is None
    assert faq.match(kb, "un CONSEILLER svp", None) is None


def test_unknown_language_is_matched_against_every_language() -> None:
    found = faq.match(faq_support.sample_knowledge(), "j'ai perdu ma carte bancaire", None)
    assert found is not None and (found.intent, found.lang) == ("card_lost", "fr")


def test_empty_knowledge_base_answers_nothing() -> None:
    assert faq.match(KnowledgeBase(revision=0), "Where is my order?", "en") is None


def test_an_edited_knowledge_base_is_used_at_once(ctx: AppContext) -> None:
    knowledge_store.import_csv(ctx, (faq_support.FIXTURES / "knowledge.csv").read_text("utf-8"), actor="test")
    question = "may I come in with my dog"
    assert faq.match(ctx, question, "en") is None
    _add(
        ctx,
        "en",
        "pets",
        "Are dogs allowed in the shop? | Can I come with my dog? | Pets welcome?",
        "Dogs on a lead are welcome.",
    )
    found = faq.match(ctx, question, "en")
    assert found is not None and (found.intent, found.answer) == ("pets", "Dogs on a lead are welcome.")


def test_a_kb_snapshot_is_reused_while_the_revision_stays(ctx: AppContext) -> None:
    _add(ctx, "fr", "horaires", "Quand êtes-vous ouverts ?", "De 9 h à 17 h.")
    first = knowledge_store.snapshot(ctx)
    assert knowledge_store.snapshot(ctx) is first
    assert first.entries == (Entry("fr", "horaires", ("Quand êtes-vous ouverts ?",), "De 9 h à 17 h."),)


def test_entries_made_only_of_common_words_do_not_break_the_bot() -> None:
    kb = KnowledgeBase(revision=1, entries=(Entry("fr", "quoi", ("Comment ?", "Et vous ?"), "Très bien !"),))
    assert faq.match(kb, "comment", "fr") is not None
    punctuation = KnowledgeBase(revision=1, entries=(Entry("en", "dots", ("?!",), "..."),))
    assert faq.match(punctuation, "anything at all", "en") is None
