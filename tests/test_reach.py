"""The skip estimate: a journey's likely audience and who each message channel would skip, and why."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import insert

from app.audience.segment_service import save_segment
from app.authoring import reach
from app.delivery.workspace import save_consent_policy
from journeys import delivery, document
from journeys.policy import ConsentPolicy
from storage import reach as store
from storage.enrollments import load_contacts
from storage.models import Contact
from tests.engine_support import add_contacts, journey, track


def sms_and_email(entry: tuple[str, str, dict]) -> document.JourneyDocument:
    return document.parse(
        journey(
            [
                entry,
                ("sms", "message.sms", {"body": "Hi"}),
                ("mail", "message.email", {"subject": "Hi", "body": "Hi"}),
                ("done", "exit", {}),
            ],
            [(entry[0], "next", "sms"), ("sms", "next", "mail"), ("mail", "next", "done")],
        )
    )


def by_channel(result: reach.Estimate) -> dict[str, tuple[int, int, int, int]]:
    return {c.channel: (c.audience, c.unsubscribed, c.no_consent, c.no_address) for c in result.channels}


def test_event_entry_audience_is_who_sent_the_event_in_the_last_30_days(ctx, clock) -> None:
    old = add_contacts(ctx, 3, consent={})
    track(ctx, old, "cart_abandoned")
    clock.advance(timedelta(days=31))
    recent = add_contacts(ctx, 2, consent={"sms": "subscribed"}) + add_contacts(ctx, 1, consent={}, phone=None)
    track(ctx, recent, "cart_abandoned")
    result = reach.estimate(ctx, sms_and_email(("entry", "entry.event", {"event": "cart_abandoned"})))
    assert (result.audience, result.source) == (3, "event")
    assert by_channel(result) == {"sms": (3, 0, 1, 0), "email": (3, 0, 3, 0)}
    assert [c.steps for c in result.channels] == [["sms"], ["mail"]]


def test_event_nobody_sent_yet_means_everyone_is_the_likely_audience(ctx) -> None:
    add_contacts(ctx, 4, consent={"email": "unsubscribed"})
    result = reach.estimate(ctx, sms_and_email(("entry", "entry.event", {"event": "never_sent"})))
    assert (result.audience, result.source) == (4, "everyone")
    assert by_channel(result)["email"] == (4, 4, 0, 0)


def test_segment_entry_counts_its_members_and_follows_the_consent_policy(ctx) -> None:
    add_contacts(ctx, 2, consent={}, attributes={"plan": "pro"})
    add_contacts(ctx, 1, consent={"sms": "unsubscribed"}, attributes={"plan": "pro"})
    add_contacts(ctx, 5, consent={}, attributes={"plan": "free"})
    condition = {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"}
    save_segment(ctx, name="Pro", condition=condition)
    doc = sms_and_email(("entry", "entry.segment", {"segment": "Pro"}))
    assert by_channel(reach.estimate(ctx, doc))["sms"] == (3, 1, 2, 0)
    save_consent_policy(ctx, ConsentPolicy(sms="legitimate_interest"), actor="admin@example.com")
    result = reach.estimate(ctx, doc)
    assert (result.audience, result.source) == (3, "segment")
    assert by_channel(result) == {"sms": (3, 1, 0, 0), "email": (3, 0, 3, 0)}


CASES = [("push", "push_token"), ("push", "opt_in"), ("sms", "opt_in"), ("sms", "legitimate_interest")]
CASES += [("email", "opt_in"), ("email", "legitimate_interest"), ("in_app", "none")]
ADDRESSES = {"push": "external_id", "in_app": "external_id", "sms": "phone", "email": "email"}


@pytest.mark.parametrize(("channel", "basis"), CASES)
def test_sql_reasons_match_the_engine_checks_for_every_kind_of_contact(ctx, channel: str, basis: str) -> None:
    statuses = [{}, {channel: "subscribed"}, {channel: "unsubscribed"}, {"other": "subscribed"}]
    blanks = [None, ""] if ADDRESSES[channel] != "external_id" else [None]  # external ids are unique
    rows = itertools.product(statuses, [None, "", "tok"], [*blanks, "set"])
    now = ctx.clock.now()
    with ctx.db.engine.begin() as conn:
        for i, (consent, push_id, address) in enumerate(rows):
            values = {"external_id": None, "email": None, "phone": None, "push_id": push_id, "consent": consent}
            values[ADDRESSES[channel]] = f"a{i}@example.com" if address == "set" else address
            conn.execute(insert(Contact.__table__), {**values, "attributes": {}, "created_at": now, "updated_at": now})
    rules = ConsentPolicy.model_validate({} if channel == "in_app" else {channel: basis})
    expected = {"unsubscribed": 0, "no_consent": 0, "no_address": 0}
    with ctx.db.engine.connect() as conn:
        contacts = load_contacts(conn, range(1, 200)).values()
    for contact in contacts:
        problem = delivery.consent_problem(contact, channel, rules) or delivery.address_problem(contact, channel)
        if problem:
            expected[problem] += 1
    with ctx.db.session() as session:
        found = store.reach(session, store.everyone(), channel=channel, basis=reach.basis(rules, channel))
    assert found.audience == len(contacts) > 20
    assert (found.unsubscribed, found.no_consent, found.no_address) == tuple(expected.values())
    assert expected["unsubscribed"] and expected["no_address"]  # the data exercises the reasons


def test_skip_lines_read_as_sentences_in_english_and_french() -> None:
    from app.i18n import language
    from app.pages.builder.reach_view import channel_line

    line = reach.ChannelReach("sms", ["Reminder"], 1000, unsubscribed=1, no_consent=412, no_address=30)
    assert channel_line(line) == (
        "SMS: 443 of 1,000 likely recipients would be skipped: "
        "412 without SMS consent, 30 without a phone number, 1 opted out."
    )
    token = language.set("fr")
    try:
        assert channel_line(line) == (
            "SMS : 443 destinataires probables sur 1\u202f000 seraient ignorés : "
            "412 sans consentement SMS, 30 sans numéro de téléphone, 1 désabonné."
        )
        one = reach.ChannelReach("push", ["Hello"], 2, unsubscribed=0, no_consent=1, no_address=0)
        assert channel_line(one) == "Push : 1 destinataire probable sur 2 serait ignoré : 1 sans jeton push."
    finally:
        language.reset(token)
    assert channel_line(reach.ChannelReach("email", [], 5, 0, 0, 0)) == "Email: all 5 likely recipients can receive it."
