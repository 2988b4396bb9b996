"""Calm saving in the builder: a conflict is shown once with a way forward, nothing typed is dropped, and a
cleared number is a problem on its step, not a zero."""

from __future__ import annotations

from nicegui.testing import User

from app.authoring import service as svc
from app.core.context import current
from journeys import editing
from tests.auth_helpers import login
from tests.test_builder_page import canvas, draft, open_cart

CONFLICT = "changed in another tab"


def _saved_elsewhere(journey_id: int) -> int:
    """Another tab renames the entry step; returns the new revision."""
    doc, revision = draft(journey_id)
    changed = editing.update_node(doc, "entry", name="Renamed in the other tab", config=doc.node("entry").config)
    return svc.save_draft(current(), journey_id, changed, expected_revision=revision)


def _field(user: User, marker: str):  # noqa: ANN202
    (element,) = user.find(marker=marker).elements
    return element


async def _type_name(user: User, *values: str) -> None:
    for value in values:
        _field(user, "field-name").set_value(value)


async def test_a_conflict_is_shown_once_and_keep_mine_saves_what_was_typed(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    latest = _saved_elsewhere(journey_id)
    await _type_name(user, "Cart", "Cart SMS", "Cart SMS reminder")
    assert sum(CONFLICT in m for m in user.notify.messages) == 1
    await user.should_see(marker="conflict-overwrite")
    assert draft(journey_id)[0].node("sms").name != "Cart SMS reminder"  # nothing overwritten behind the user's back
    assert next(n for n in canvas(user).nodes if n["id"] == "sms")["name"] == "Cart SMS reminder"  # still shown
    user.find(marker="conflict-overwrite").click()
    doc, revision = draft(journey_id)
    assert doc.node("sms").name == "Cart SMS reminder" and revision == latest + 1
    await user.should_not_see(marker="conflict-overwrite")
    await _type_name(user, "Cart SMS reminder 2")
    assert draft(journey_id)[0].node("sms").name == "Cart SMS reminder 2"  # saving resumed normally


async def test_loading_the_latest_version_shows_what_was_typed_to_copy(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    _saved_elsewhere(journey_id)
    await _type_name(user, "My unsaved SMS name")
    user.find(marker="conflict-reload").click()
    doc, _ = draft(journey_id)
    assert doc.node("entry").name == "Renamed in the other tab" and doc.node("sms").name != "My unsaved SMS name"
    assert [e.value for e in user.find(marker="typed-text").elements] == ["My unsaved SMS name"]
    assert next(n for n in canvas(user).nodes if n["id"] == "entry")["name"] == "Renamed in the other tab"
    await _type_name(user, "Taken from the latest")
    assert draft(journey_id)[0].node("sms").name == "Taken from the latest"


async def test_clearing_how_many_is_a_problem_on_the_step_and_its_field_not_zero(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "wait_1h"})
    amount = _field(user, "field-timeout-amount")
    amount.set_value(None)
    doc, _ = draft(journey_id)
    assert doc.node("wait_1h").config["timeout"]["amount"] is None
    problems = next(n for n in canvas(user).nodes if n["id"] == "wait_1h")["problems"]
    assert problems == ["Enter how long to wait before giving up"]
    assert amount.error == "Enter how long to wait before giving up"
    await user.should_see("Enter how long to wait before giving up")
    amount.set_value(3)
    assert draft(journey_id)[0].node("wait_1h").config["timeout"]["amount"] == 3
    assert amount.error is None
    assert next(n for n in canvas(user).nodes if n["id"] == "wait_1h")["problems"] == []
