"""The builder page's logic without a browser: canvas events by their camelCased names, forms, messages."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.testing import User

from app.authoring import service as svc
from app.core.context import current
from components.journey_canvas import JourneyCanvas
from journeys import document
from storage import journeys as store
from tests.auth_helpers import login
from tests.conftest import load_template_dict
from tests.engine_support import add_contacts, track


async def open_cart(user: User, **changes: Any) -> int:
    await user.open("/")
    journey_id = svc.import_journey(current(), load_template_dict("abandoned_cart") | changes)
    await user.open(f"/journeys/{journey_id}")
    return journey_id


def canvas(user: User) -> JourneyCanvas:
    (element,) = user.find(marker="canvas").elements
    assert isinstance(element, JourneyCanvas)
    return element


def draft(journey_id: int) -> tuple[document.JourneyDocument, int]:
    with current().db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        return document.parse(journey.draft), journey.revision


async def test_canvas_receives_every_step_with_labelled_ports(user: User) -> None:
    await login(user, "marketer")
    await open_cart(user)
    nodes = {n["id"]: n for n in canvas(user).nodes}
    assert len(nodes) == 8
    assert [p["label"] for p in nodes["wait_1h"]["ports"]] == ["Event happened", "Timed out"]
    assert nodes["sms"]["summary"].startswith("SMS: ")
    assert len(canvas(user).edges) == 7


async def test_dropping_a_step_saves_it_and_opens_its_form(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeAdded", {"type": "message.push", "x": 300, "y": 40})
    doc, revision = draft(journey_id)
    assert doc.node("message_push_1") is not None and revision == 2
    await user.should_see("Step name")
    await user.should_see("Preview")
    assert any(n["id"] == "message_push_1" and n["problems"] for n in canvas(user).nodes)


async def test_connecting_ports_saves_the_connection(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    marker = user.find(marker="canvas")
    marker.trigger("nodeAdded", {"type": "exit", "x": 0, "y": 900})
    marker.trigger("edgeConnected", {"source": "email", "port": "next", "target": "exit_1"})
    doc, _ = draft(journey_id)
    assert [e.target for e in doc.edges if e.source == "email"] == ["exit_1"]


async def test_a_connection_making_a_loop_is_refused_with_a_message(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("edgeConnected", {"source": "email", "port": "next", "target": "wait_1h"})
    await user.should_see("would make a loop")
    doc, revision = draft(journey_id)
    assert revision == 1 and len(doc.edges) == 7


async def test_deleting_a_step_puts_a_problem_badge_on_its_parent(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("elementsRemoved", {"nodes": ["done"], "edges": []})
    email = next(n for n in canvas(user).nodes if n["id"] == "email")
    assert "Connect this step to a next step or an Exit" in email["problems"]
    await user.should_see("Problems (1)")
    assert draft(journey_id)[0].node("done") is None


async def test_moves_and_paste_are_saved(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    marker = user.find(marker="canvas")
    marker.trigger("nodesMoved", {"positions": [{"id": "sms", "x": 512, "y": 333}]})
    marker.trigger("nodesPasted", {"ids": ["sms"]})
    doc, revision = draft(journey_id)
    sms = doc.node("sms")
    assert sms is not None and (sms.position.x, sms.position.y) == (512, 333)
    assert doc.node("message_sms_1") is not None and revision == 3


async def test_undo_and_redo_restore_the_saved_draft(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    marker = user.find(marker="canvas")
    marker.trigger("elementsRemoved", {"nodes": ["done"], "edges": []})
    marker.trigger("undo", {})
    assert draft(journey_id)[0].node("done") is not None
    marker.trigger("redo", {})
    assert draft(journey_id)[0].node("done") is None
    user.find(marker="undo").click()
    assert draft(journey_id)[0].node("done") is not None


async def test_a_second_tab_saving_first_is_detected_not_overwritten(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    other, revision = draft(journey_id)
    svc.save_draft(
        current(), journey_id, other.model_copy(update={"description": "from tab 2"}), expected_revision=revision
    )
    user.find(marker="canvas").trigger("nodesMoved", {"positions": [{"id": "sms", "x": 1, "y": 1}]})
    await user.should_see("changed in another tab")
    doc, revision = draft(journey_id)
    assert doc.description == "from tab 2" and revision == 2
    assert doc.node("sms").position.x == 130  # type: ignore[union-attr]


async def test_sms_form_edits_the_text_and_previews_it_with_segment_count(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    await user.should_see("Message")
    user.find(marker="field-body").clear().type("Hello {{ contact.first_name }}, your cart is waiting")
    await user.should_see("Hello Camille, your cart is waiting")
    await user.should_see("GSM-7")
    assert draft(journey_id)[0].node("sms").config["body"].startswith("Hello {{")  # type: ignore[union-attr]


async def test_wait_for_event_form_offers_seen_events_and_sets_a_timeout(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "wait_24h"})
    await user.should_see("Give up after")
    user.find(marker="field-timeout-amount").elements.pop().set_value(2)
    user.find(marker="field-timeout-unit").elements.pop().set_value("days")
    config = draft(journey_id)[0].node("wait_24h").config  # type: ignore[union-attr]
    assert config["timeout"] == {"amount": 2, "unit": "days"}


async def test_split_form_shows_what_is_left_to_reach_100(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeAdded", {"type": "split", "x": 0, "y": 0})
    await user.should_see("The percentages add up to 100")
    user.find(marker="weight-0").elements.pop().set_value(30)
    await user.should_see("20% left to assign")
    split = draft(journey_id)[0].node("split_1")
    assert split is not None and split.config["variants"][0]["weight"] == 30


async def test_branch_condition_builder_writes_a_condition_tree(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeAdded", {"type": "branch", "x": 0, "y": 0})
    user.find(marker="add-condition").click()
    await user.should_see(marker="condition-field")
    user.find(marker="condition-field").elements.pop().set_value("country")
    user.find(marker="condition-value").type("FR")
    condition = draft(journey_id)[0].node("branch_1").config["condition"]  # type: ignore[union-attr]
    assert condition["conditions"] == [{"kind": "attribute", "attribute": "country", "op": "eq", "value": "FR"}]


async def test_clicking_a_problem_opens_the_step_it_names(user: User) -> None:
    await login(user, "marketer")
    await open_cart(user)
    user.find(marker="canvas").trigger("elementsRemoved", {"nodes": ["done"], "edges": []})
    user.find(marker="problem-email").click()
    await user.should_see("Cart reminder email")
    name = user.find(marker="field-name").elements.pop()
    assert isinstance(name, ui.input) and name.value == "Cart reminder email"


async def test_publish_then_pause_and_resume(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="publish").click()
    user.find(marker="review-confirm").click()
    await user.should_see("Published as version 1")
    user.find(marker="pause").click()
    await user.should_see("paused")
    with current().db.session() as session:
        assert store.get_journey(session, journey_id=journey_id).status == "paused"


async def test_publishing_an_invalid_draft_is_refused_with_the_count(user: User) -> None:
    await login(user, "marketer")
    await open_cart(user)
    user.find(marker="canvas").trigger("elementsRemoved", {"nodes": ["done"], "edges": []})
    user.find(marker="publish").click()
    user.find(marker="review-confirm").click()
    await user.should_see("Not published: 1 problem to fix first")


async def test_an_older_version_opens_read_only(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    svc.publish(current(), journey_id)
    await user.open(f"/journeys/{journey_id}/versions/1")
    await user.should_see("Version 1, read-only")
    assert canvas(user).props["readonly"] is True
    await user.open(f"/journeys/{journey_id}/versions/7")
    await user.should_see("This journey has no version 7.")


async def test_script_and_quotes_in_names_are_shown_as_text(user: User) -> None:
    await login(user, "marketer")
    nasty = "<script>alert(\"x\")</script> 'quoted'"
    journey_id = await open_cart(user, name=nasty)
    await user.should_see(nasty)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    user.find(marker="field-name").clear().type(nasty)
    assert draft(journey_id)[0].node("sms").name == nasty  # type: ignore[union-attr]


async def test_unknown_journey_says_so(user: User) -> None:
    await login(user, "marketer")
    await user.open("/journeys/999")
    await user.should_see("There is no journey number 999.")


async def test_builder_speaks_french(user: User) -> None:
    await login(user, "marketer")
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await open_cart(user)
    await user.should_see("Publier")


async def test_journey_settings_edit_time_zone_and_goal(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="journey-settings").elements.pop().set_value(True)
    await user.should_see("Conversion goal")
    user.find(marker="field-default_time_zone").elements.pop().set_value("Europe/Paris")
    user.find(marker="field-event").elements.pop().set_value("purchase")
    doc, _ = draft(journey_id)
    assert doc.settings.default_time_zone == "Europe/Paris"
    assert doc.goal is not None and doc.goal.event == "purchase"


async def test_reentry_limit_without_a_number_is_not_saved(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="journey-settings").elements.pop().set_value(True)
    await user.should_see("Conversion goal")
    user.find(marker="field-mode").elements.pop().set_value("limit")
    await user.should_see("Settings not saved")
    assert draft(journey_id)[0].settings.reentry.mode == "after_exit"
    user.find(marker="field-max_entries").elements.pop().set_value(3)
    reentry = draft(journey_id)[0].settings.reentry
    assert (reentry.mode, reentry.max_entries) == ("limit", 3)


async def test_problem_list_names_the_problem_in_french(user: User) -> None:
    await login(user, "marketer")
    from app import i18n

    token = i18n.language.set("fr")
    try:
        await open_cart(user)
        user.find(marker="canvas").trigger("elementsRemoved", {"nodes": ["done"], "edges": []})
        await user.should_see("Le chemin s'arrête ici")
    finally:
        i18n.language.reset(token)


async def test_tidy_up_lays_the_journey_out_top_to_bottom(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    marker = user.find(marker="canvas")
    marker.trigger("nodesMoved", {"positions": [{"id": "done", "x": 900, "y": -400}]})
    user.find(marker="auto-layout").click()
    doc, _ = draft(journey_id)
    rows = {n.id: n.position.y for n in doc.nodes}
    assert rows["entry"] < rows["wait_1h"] < rows["sms"] < rows["wait_24h"] < rows["email"] < rows["done"]
    assert {n["id"]: n["y"] for n in canvas(user).nodes} == rows


async def test_version_history_lists_published_versions_with_links(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    svc.publish(current(), journey_id)
    svc.publish(current(), journey_id)
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="history").click()
    await user.should_see("Version 2")
    await user.should_see("Version 1")
    links = [link.props["href"] for link in user.find(ui.link).elements]
    assert f"/journeys/{journey_id}/versions/1" in links


def test_builder_routes_take_only_numeric_ids_leaving_other_journey_paths_free(server) -> None:  # noqa: ANN001
    import httpx

    assert httpx.get(f"{server.base_url}/journeys/abc", timeout=10).status_code == 404
    assert httpx.get(f"{server.base_url}/journeys/1/versions/x", timeout=10).status_code == 404


async def test_a_viewer_previews_messages_with_the_sample_contact_never_a_real_one(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    svc.publish(current(), journey_id)
    add_contacts(current(), 1, attributes={"first_name": "Zoé Réelle"})
    await user.open("/logout")
    await login(user, "viewer")
    await user.open(f"/journeys/{journey_id}/versions/1")
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    await user.should_see("Camille")  # the synthetic sample contact of the preview
    await user.should_not_see("Zoé Réelle")
    await user.open("/logout")
    await login(user, "marketer")
    await user.open(f"/journeys/{journey_id}/versions/1")
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    await user.should_see("Zoé Réelle")  # marketers still preview with their real contacts


async def test_builder_says_how_many_likely_recipients_each_channel_would_skip(user: User) -> None:
    await login(user, "marketer")
    ctx = current()
    silent = add_contacts(ctx, 3, consent={})
    add_contacts(ctx, 1, consent={"sms": "subscribed", "email": "subscribed"})
    track(ctx, silent, "Checkout Started")
    await open_cart(user)
    await user.should_see("Likely audience: 3 contacts who sent the entry event in the last 30 days.")
    await user.should_see("SMS: 3 of 3 likely recipients would be skipped: 3 without SMS consent.")
    await user.should_see("How to collect consent")


async def test_cancelling_the_publish_review_publishes_nothing(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="publish").click()
    await user.should_see("First version: the journey goes live as drawn.")
    user.find(marker="review-cancel").click()
    await user.should_not_see(marker="publish-review")
    with current().db.session() as session:
        assert store.list_versions(session, journey_id=journey_id) == []
    user.find(marker="publish").click()
    user.find(marker="review-confirm").click()
    await user.should_see("Published as version 1")
