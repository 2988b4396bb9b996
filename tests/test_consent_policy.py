"""The workspace consent policy decides who is reachable when a contact never said yes or no on a channel."""

from __future__ import annotations

from app.access import audit
from app.delivery.workspace import load_consent_policy, load_policy, save_consent_policy, save_policy
from journeys.policy import ConsentPolicy, DeliveryPolicy, QuietHours
from tests.engine_support import add_contacts, counts, journey, outbox, publish, run, track


def message_journey(channel: str) -> dict:
    config = {"body": "Hi"} if channel != "email" else {"subject": "Hi", "body": "Hi"}
    return journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", f"message.{channel}", config), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )


def sent_to(ctx, channel: str, contacts: list[int]) -> tuple[set[int], dict]:
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(enabled=False)))
    journey_id = publish(ctx, message_journey(channel))
    track(ctx, contacts, "go")
    run(ctx)
    skipped = {reason: n for (node, outcome, reason), n in counts(ctx, journey_id).items() if outcome == "skipped"}
    return {m.contact_id for m in outbox(ctx, channel=channel)}, skipped


def test_push_token_is_the_consent_by_default(ctx) -> None:
    with_token = add_contacts(ctx, 2, consent={}, push_id="tok")
    without = add_contacts(ctx, 1, consent={})
    opted_out = add_contacts(ctx, 1, consent={"push": "unsubscribed"}, push_id="tok")
    sent, skipped = sent_to(ctx, "push", with_token + without + opted_out)
    assert sent == set(with_token)
    assert skipped == {"no_consent": 1, "unsubscribed": 1}


def test_push_under_recorded_opt_in_needs_a_recorded_yes_even_with_a_token(ctx) -> None:
    save_consent_policy(ctx, ConsentPolicy(push="opt_in"), actor="admin@example.com")
    token_only = add_contacts(ctx, 1, consent={}, push_id="tok")
    recorded = add_contacts(ctx, 1, consent={"push": "subscribed"})
    sent, skipped = sent_to(ctx, "push", token_only + recorded)
    assert sent == set(recorded)
    assert skipped == {"no_consent": 1}


def test_email_and_sms_need_recorded_opt_in_by_default(ctx) -> None:
    silent = add_contacts(ctx, 2, consent={})
    recorded = add_contacts(ctx, 1, consent={"email": "subscribed", "sms": "subscribed"})
    for channel in ("email", "sms"):
        sent, skipped = sent_to(ctx, channel, silent + recorded)
        assert sent == set(recorded), channel
        assert skipped == {"no_consent": 2}, channel


def test_legitimate_interest_messages_silent_contacts_but_never_those_who_opted_out(ctx) -> None:
    save_consent_policy(ctx, ConsentPolicy(sms="legitimate_interest"), actor="admin@example.com")
    silent = add_contacts(ctx, 2, consent={})
    opted_out = add_contacts(ctx, 1, consent={"sms": "unsubscribed", "email": "unsubscribed"})
    sent, skipped = sent_to(ctx, "sms", silent + opted_out)
    assert sent == set(silent)
    assert skipped == {"unsubscribed": 1}
    sent, skipped = sent_to(ctx, "email", silent + opted_out)  # email stays on recorded opt-in
    assert sent == set()
    assert skipped == {"no_consent": 2, "unsubscribed": 1}


def test_email_legitimate_interest_still_needs_an_address(ctx) -> None:
    save_consent_policy(ctx, ConsentPolicy(email="legitimate_interest"), actor="admin@example.com")
    no_email = add_contacts(ctx, 1, consent={}, email=None)
    sent, skipped = sent_to(ctx, "email", no_email)
    assert sent == set()
    assert skipped == {"no_address": 1}


def test_consent_changes_are_audited_per_channel_and_kept_apart_from_the_delivery_policy(ctx) -> None:
    changes = save_consent_policy(
        ctx, ConsentPolicy(email="legitimate_interest", sms="legitimate_interest"), actor="admin@example.com"
    )
    assert changes == {"email": "opt_in -> legitimate_interest", "sms": "opt_in -> legitimate_interest"}
    save_policy(ctx, DeliveryPolicy(default_time_zone="Europe/Paris"))  # the delivery form must not reset it
    assert load_consent_policy(ctx).email == "legitimate_interest"
    assert load_policy(ctx).consent.sms == "legitimate_interest"
    assert save_consent_policy(ctx, load_consent_policy(ctx), actor="admin@example.com") == {}
    entries = [e for e in audit.entries(ctx, action="settings.consent")]
    assert len(entries) == 1
    assert entries[0].actor == "admin@example.com"
    assert entries[0].details == changes
