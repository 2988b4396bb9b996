"""The conversation templates run as shipped: each contact's answers take it down the path they call for."""

from __future__ import annotations

from datetime import timedelta

from app.conversations import inbound
from storage import gdpr
from tests.conversation_support import conversations
from tests.engine_support import add_contacts, counts, outbox, publish, run, track


def _phone(contact_id: int) -> str:
    return f"+3361234{contact_id:04d}"


def _texts(ctx, contact_id: int) -> list[str]:
    return [m.payload["body"] for m in outbox(ctx, channel="sms", contact_id=contact_id)]


def _answer(ctx, contact_id: int, text: str) -> None:
    assert inbound.receive_sms(ctx, sender=_phone(contact_id), body=text).handled_by == "journey"
    run(ctx)


def test_lead_qualification_keeps_three_answers_on_the_profile(ctx) -> None:
    hot, cold = add_contacts(ctx, 2)
    journey_id = publish(ctx, "lead_qualification")
    track(ctx, [hot, cold], "lead_created")
    run(ctx)
    for cid, answers in ((hot, ("A new kitchen", "3", "Oui !")), (cold, ("Just looking", "1", "non"))):
        for text in answers:
            _answer(ctx, cid, text)
    with ctx.db.session() as session:
        profiles = {cid: gdpr.contact_row(session, cid)["attributes"] for cid in (hot, cold)}
    assert {k: profiles[hot][k] for k in ("lead_project", "lead_budget", "lead_timing", "lead_status")} == {
        "lead_project": "A new kitchen",
        "lead_budget": "3",
        "lead_timing": "Oui !",
        "lead_status": "hot",
    }
    assert profiles[cold]["lead_status"] == "nurture"
    assert len(outbox(ctx, channel="webhook", journey_id=journey_id)) == 1  # only the hot lead reaches sales
    assert _texts(ctx, hot)[-1] == "Thank you! An advisor will get back to you very soon."


def test_fraud_alert_blocks_the_card_on_2_and_pushes_when_nobody_answers(ctx) -> None:
    mine, not_mine, silent = add_contacts(ctx, 3)
    journey_id = publish(ctx, "fraud_alert_confirmation")
    track(ctx, [mine, not_mine, silent], "suspicious_transaction", amount=120, currency="EUR", merchant="Shop")
    run(ctx)
    assert "Reply 1 if it was you, 2 if it was not." in _texts(ctx, mine)[0]
    _answer(ctx, mine, "1")
    _answer(ctx, not_mine, "2")
    run(ctx, after=timedelta(minutes=16))
    steps = counts(ctx, journey_id)
    assert (steps[("reply", "replied", "me")], steps[("reply", "replied", "not_me")]) == (1, 1)
    assert [m.contact_id for m in outbox(ctx, channel="webhook")] == [not_mine]
    assert [m.contact_id for m in outbox(ctx, channel="push")] == [silent]
    assert _texts(ctx, not_mine)[-1].startswith("Your card is blocked")


def test_appointment_confirmation_cancels_on_non(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    publish(ctx, "appointment_confirmation")
    track(ctx, [cid], "appointment_booked", date="12 March", time="10:00")
    run(ctx)
    run(ctx, after=timedelta(days=1))
    assert _texts(ctx, cid) == [
        "Reminder: your appointment is on 12 March at 10:00. Reply YES to confirm or NO to cancel."
    ]
    _answer(ctx, cid, "Non, désolé")
    with ctx.db.session() as session:
        assert gdpr.contact_row(session, cid)["attributes"]["appointment_status"] == "cancelled"
    assert _texts(ctx, cid)[-1].startswith("Your appointment is cancelled")


def test_faq_bot_answers_a_recognised_question_and_hands_the_rest_to_a_person(ctx) -> None:
    known, unknown = add_contacts(ctx, 2)
    publish(ctx, "faq_bot")
    track(ctx, [known, unknown], "support_opt_in")
    run(ctx)
    # An app that classifies questions itself may send the event with its intent and answer.
    track(ctx, [known], "message.received", channel="sms", text="When do you open?", intent="opening_hours",
          answer="We open at 9am, Monday to Saturday.")  # fmt: skip
    run(ctx)
    _answer(ctx, unknown, "Can I pay with bitcoin?")
    assert _texts(ctx, known)[-1] == "We open at 9am, Monday to Saturday. Text us another question anytime."
    assert _texts(ctx, unknown)[-1].startswith("Thanks for your question. A member of our team")
    assert [(c.contact_id, c.status) for c in conversations(ctx)] == [(unknown, "handed_over")]
