"""The FAQ bot inside conversations: it answers a known question on the conversation's channel, hands over a
request for a person or a question it does not know (the conversation then waits in the inbox), and the inbox's
figures count both and the median time to the first human answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.conversations import inbound, inbox, knowledge_store
from app.core.context import AppContext
from app.privacy import gdpr
from journeys.clock import FrozenClock
from storage import conversations as conversation_store
from storage.faq_models import FaqOutcome
from tests import faq_support
from tests.conversation_support import conversations, turns
from tests.engine_support import add_contacts, outbox


def _seed(ctx: AppContext) -> None:
    knowledge_store.import_csv(ctx, (faq_support.FIXTURES / "knowledge.csv").read_text("utf-8"), actor="test")


def _outcomes(ctx: AppContext) -> list[tuple[str, str, str | None]]:
    table = FaqOutcome.__table__
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id))
        return [(r.outcome, r.reason, r.intent) for r in rows]


def test_a_known_question_is_answered_by_sms_and_the_conversation_stays_with_the_bot(ctx: AppContext) -> None:
    _seed(ctx)
    (cid,) = add_contacts(ctx, 1)
    got = inbound.receive(ctx, channel="sms", contact_id=cid, text="J'ai perdu ma carte bancaire !")
    assert (got.intent, got.handled_by) == ("card_lost", "bot")
    answer = next(t for t in turns(ctx) if t.author == "bot")
    assert answer.text.startswith("Faites opposition") and answer.intent == "card_lost"
    assert [m.payload["body"] for m in outbox(ctx, channel="sms")] == [answer.text]
    assert [c.status for c in conversations(ctx)] == ["open"]
    assert _outcomes(ctx) == [("answered", "", "card_lost")]


def test_asking_for_a_person_or_an_unknown_question_hands_over(ctx: AppContext) -> None:
    _seed(ctx)
    first, second = add_contacts(ctx, 2)
    human = inbound.receive(ctx, channel="sms", contact_id=first, text="Je veux parler à un conseiller")
    unknown = inbound.receive(ctx, channel="in_app", contact_id=second, text="Who won the football match last night?")
    assert human.handled_by == unknown.handled_by == "inbox"
    assert [c.status for c in conversations(ctx)] == ["handed_over", "handed_over"]
    assert _outcomes(ctx) == [("handed_over", "human", None), ("handed_over", "low_confidence", None)]
    assert outbox(ctx) == []  # nothing was answered for them
    waiting = inbox.conversations(ctx, status="handed_over")
    assert sorted(r["contact_id"] for r in waiting) == [first, second]
    assert [r["channel"] for r in inbox.conversations(ctx, status="handed_over", channel="in_app")] == ["in_app"]


def test_without_a_knowledge_base_every_message_goes_to_a_person(ctx: AppContext) -> None:
    (cid,) = add_contacts(ctx, 1)
    got = inbound.receive(ctx, channel="sms", contact_id=cid, text="Where is my order?")
    assert [c.status for c in conversations(ctx)] == ["handed_over"]
    assert got.intent is None and _outcomes(ctx) == []


def test_figures_count_answers_and_hand_overs_and_the_median_wait_for_a_person(
    ctx: AppContext, clock: FrozenClock
) -> None:
    _seed(ctx)
    contacts = add_contacts(ctx, 4)
    inbound.receive(ctx, channel="sms", contact_id=contacts[0], text="How long does delivery take?")
    waits = {contacts[1]: 120, contacts[2]: 600}
    handed: dict[int, int] = {}
    for cid in contacts[1:]:
        handed[cid] = inbound.receive(ctx, channel="in_app", contact_id=cid, text="talk to a person").conversation_id
    assert inbox.figures(ctx).median_first_answer_seconds is None  # nobody answered yet
    for cid, wait in sorted(waits.items(), key=lambda item: item[1]):
        clock.advance(timedelta(seconds=wait - sum(w for w in waits.values() if w < wait)))
        with ctx.db.session() as session:
            conversation_store.add_message(
                session, conversation_id=handed[cid], contact_id=cid, direction="out", author="agent",
                text="Hello", now=int(clock.now().timestamp()),
            )  # fmt: skip
    figures = inbox.figures(ctx)
    assert (figures.answered, figures.handed_over, figures.waiting) == (1, 3, 3)
    assert figures.median_first_answer_seconds == 360  # 2 and 10 minutes; the unanswered one is left out
    assert figures.answered_share == 0.25
    clock.advance(timedelta(days=31))
    assert (inbox.figures(ctx).answered, inbox.figures(ctx).handed_over) == (0, 0)  # a 30-day window


def test_erasing_a_contact_erases_the_bots_decisions_about_it(ctx: AppContext) -> None:
    _seed(ctx)
    kept, erased = add_contacts(ctx, 2)
    for cid in (kept, erased):
        inbound.receive(ctx, channel="sms", contact_id=cid, text="I lost my card")
    gdpr.erase_contact(ctx, erased, actor="admin@example.com", ip="127.0.0.1")
    table = FaqOutcome.__table__
    with ctx.db.engine.connect() as conn:
        assert [r.contact_id for r in conn.execute(select(table))] == [kept]
