"""The whole two-way SMS loop on loopback: a published journey texts through a Twilio-compatible stub, the
stub texts back through the signed inbound webhook, and each contact takes the port its answer calls for."""

from __future__ import annotations

from datetime import timedelta

from app.engine import service as engine_service
from storage import conversations as store
from tests.conversation_support import CONFIRM, conversations_api, turns, twilio
from tests.engine_support import add_contacts, counts, enrollments, publish, run
from tests.quarantine_support import dispatch


def _phone(contact_id: int) -> str:
    return f"+3361234{contact_id:04d}"


def test_replies_take_the_yes_number_no_match_and_timeout_ports(ctx, clock) -> None:
    yes, number, garbage, silent = add_contacts(ctx, 4)
    journey_id = publish(ctx, CONFIRM)
    with twilio(ctx) as stub, conversations_api() as base:
        for cid in (yes, number, garbage, silent):
            assert engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
        run(ctx)
        assert dispatch(ctx) == 4
        assert stub.texts_to(_phone(yes)) == ["Reply YES to confirm your appointment, NO to cancel, or a number"]
        webhook = f"{base}/api/v1/conversations/sms/twilio"
        for cid, text in ((yes, "Oui !"), (number, "3"), (garbage, "what is this about?")):
            answer = stub.reply(webhook, _phone(cid), text)
            assert answer.status_code == 200, answer.text
        run(ctx)
        dispatch(ctx)
        assert stub.texts_to(_phone(yes))[-1] == "Thanks, we got Oui !"
        run(ctx, after=timedelta(days=1, minutes=1))
    steps = counts(ctx, journey_id)
    assert steps[("wait", "replied", "yes")] == 1
    assert steps[("wait", "replied", "number")] == 1
    assert steps[("wait", "replied", "no_match")] == 1
    assert steps[("wait", "timed_out", "")] == 1
    ended = {row.contact_id: (row.node_id, row.status) for row in enrollments(ctx, journey_id)}
    assert ended == {
        yes: ("done", "done"),
        number: ("cancelled", "done"),
        garbage: ("unclear", "done"),
        silent: ("silent", "done"),
    }
    with ctx.db.session() as session:
        per_port = store.replies_per_port(session, journey_id=journey_id)
    assert [(r["node_id"], r["port"], r["replies"]) for r in per_port] == [
        ("wait", "no_match", 1),
        ("wait", "number", 1),
        ("wait", "timeout", 1),
        ("wait", "yes", 1),
    ]


def test_the_reply_is_stored_on_the_profile_and_in_the_conversation(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    journey_id = publish(ctx, CONFIRM)
    with twilio(ctx) as stub, conversations_api() as base:
        engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
        run(ctx)
        dispatch(ctx)
        stub.reply(f"{base}/api/v1/conversations/sms/twilio", _phone(cid), "7")
        run(ctx)
    with ctx.db.session() as session:
        from storage import gdpr

        contact = gdpr.contact_row(session, cid)
    assert contact is not None and contact["attributes"]["answer"] == "7"
    asked, answered = turns(ctx)  # the thread starts with the journey's question, for whoever reads it
    assert (asked.direction, asked.author, asked.text) == ("out", "journey", CONFIRM["nodes"][1]["config"]["body"])
    assert (answered.direction, answered.author, answered.text, answered.contact_id) == ("in", "contact", "7", cid)
