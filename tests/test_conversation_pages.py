"""Conversations in the pages: the Replies panel of the analytics page, the wait-for-reply form, Twilio in
Settings → Providers (browserless User fixture)."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.authoring import service as svc
from app.conversations import inbound
from app.core.context import current
from app.delivery import provider_config
from app.delivery.workspace import save_policy
from app.engine import service as engine_service
from app.engine.engine import Engine
from journeys.policy import DeliveryPolicy, QuietHours
from tests.auth_helpers import login
from tests.conftest import load_template_dict
from tests.conversation_support import CONFIRM
from tests.engine_support import add_contacts, publish
from tests.test_builder_page import canvas, draft


def _rows(user: User, marker: str) -> list[dict]:
    for toggle in user.find(marker=marker.replace("-table", "-view")).elements:
        toggle.value = "table"  # as a user switches the panel from its chart to its table
    table = next(iter(user.find(marker=marker).elements))
    assert isinstance(table, ui.table)
    return table.rows


async def test_analytics_count_replies_per_answer_of_a_wait_for_reply_step(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    ctx = current()
    # This test runs on the wall clock: without this, quiet hours would hold the SMS from 21:00 on.
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(enabled=False)))
    journey_id = publish(ctx, CONFIRM)
    yes, maybe, silent = add_contacts(ctx, 3)
    for cid in (yes, maybe, silent):
        engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
    Engine(ctx).run()
    inbound.receive_sms(ctx, sender=f"+3361234{yes:04d}", body="OK")
    inbound.receive_sms(ctx, sender=f"+3361234{maybe:04d}", body="peut-être")
    Engine(ctx).run()
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see("Replies")
    rows = [(r["c1"], r["c2"], r["c3"]) for r in _rows(user, "replies-table")]
    assert rows == [("No match", 1, "50.0%"), ("Yes", 1, "50.0%")]


async def test_journeys_without_reply_steps_have_no_replies_panel(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = publish(current(), "abandoned_cart")
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see("Analytics")
    await user.should_not_see("Replies")


async def test_an_admin_picks_twilio_for_sms_and_its_token_is_stored_encrypted(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    await user.should_see("Twilio (SMS, two-way)")
    user.find(marker="provider-twilio_account_sid").type("AC42")
    user.find(marker="provider-twilio_auth_token").type("secret-token-1234")
    user.find(marker="provider-twilio_from").type("+33700000000")
    user.find(marker="save-providers").click()
    await user.should_see("Providers saved (3 values changed).")  # the choices left as they were are not saved
    settings = provider_config.effective_settings(current())
    assert (settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value()) == ("AC42", "secret-token-1234")
    from app.delivery.providers import route

    assert route(settings, "sms") == "twilio"


async def test_the_wait_for_reply_form_edits_answers_and_flags_an_unsafe_pattern(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.import_journey(current(), load_template_dict("appointment_confirmation"))
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="canvas").trigger("nodeSelected", {"id": "reply"})
    await user.should_see("Output name")
    user.find(marker="reply-keywords-0").clear().type("yes, sure")
    user.find(marker="add-reply-rule").click()
    await user.should_see(marker="reply-port-2")
    user.find(marker="reply-port-2").clear().type("zip")
    user.find(marker="reply-kind-2").elements.pop().set_value("regex")
    await user.should_see(marker="field-pattern")  # the card now asks for a pattern
    user.find(marker="field-pattern").type("(a+)+")
    rules = draft(journey_id)[0].node("reply").config["rules"]  # type: ignore[union-attr]
    assert rules[0]["keywords"] == ["yes", "sure"]
    assert rules[2] == {"port": "zip", "kind": "regex", "keywords": [], "pattern": "(a+)+"}
    (node,) = [n for n in canvas(user).nodes if n["id"] == "reply"]
    assert any("Complete the answers" in problem for problem in node["problems"])
    user.find(marker="add-reply-rule").click()
    await user.should_see(marker="reply-kind-3")
    user.find(marker="reply-kind-3").elements.pop().set_value("intent")
    await user.should_see(marker="reply-intent-3")
    user.find(marker="reply-intent-3").type("Opening hours")
    rule = draft(journey_id)[0].node("reply").config["rules"][3]  # type: ignore[union-attr]
    assert (rule["port"], rule["intent"]) == ("opening_hours", "Opening hours")  # the output is named by the intent


async def test_the_wait_for_reply_settings_are_drawn_from_its_node_type(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.import_journey(current(), load_template_dict("appointment_confirmation"))
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="canvas").trigger("nodeSelected", {"id": "reply"})
    await user.should_see("Each expected answer is an output. The first that matches wins; others go to 'No match'.")
    await user.should_see("Hand the conversation to a person when the reply matches nothing")
    user.find(marker="field-channel").elements.pop().set_value("sms")
    user.find(marker="field-handover_on_no_match").elements.pop().set_value(True)
    config = draft(journey_id)[0].node("reply").config  # type: ignore[union-attr]
    assert (config["channel"], config["handover_on_no_match"]) == ("sms", True)
    (node,) = [n for n in canvas(user).nodes if n["id"] == "reply"]
    assert node["label"] == "Wait for reply"
    assert {p["name"]: p["label"] for p in node["ports"]}["no_match"] == "No match"
