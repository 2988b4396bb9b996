"""The publish review outlines on the canvas what changes from the live version, until the review ends."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.authoring import service as svc
from app.core.context import current
from tests.auth_helpers import login
from tests.test_builder_page import canvas, open_cart
from tests.test_publish_review_browser import edit_draft


def edit_live_journey(journey_id: int) -> str:
    """Publishes version 1, then changes the SMS and the email and adds a wait; returns the wait's id."""
    svc.publish(current(), journey_id)
    return edit_draft(current(), journey_id)


async def test_review_outlines_added_and_changed_steps_and_cancel_clears_them(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    added = edit_live_journey(journey_id)
    await user.open(f"/journeys/{journey_id}")
    assert canvas(user).marks == {}
    user.find(marker="publish").click()
    await user.should_see(marker="review-changed-sms")
    assert canvas(user).marks == {"sms": "changed", "email": "changed", added: "added"}
    labels = {mark["state"]: mark["label"] for mark in canvas(user).props["marks"].values()}
    assert labels == {"changed": "Changed", "added": "New"}
    user.find(marker="review-cancel").click()
    await user.should_not_see(marker="publish-review")
    assert canvas(user).marks == {}


async def test_publishing_from_the_review_clears_the_outlines(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    edit_live_journey(journey_id)
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="publish").click()
    await user.should_see(marker="review-changed-sms")
    assert canvas(user).marks
    user.find(marker="review-confirm").click()
    await user.should_see("Published as version 2")
    assert canvas(user).marks == {}


async def test_first_publication_outlines_nothing(user: User) -> None:
    await login(user, "marketer")
    await open_cart(user)
    user.find(marker="publish").click()
    await user.should_see("First version: the journey goes live as drawn.")
    assert canvas(user).marks == {}


async def test_clicking_a_listed_step_opens_it_in_the_builder(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    edit_live_journey(journey_id)
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="publish").click()
    user.find(marker="review-changed-email").click()
    name = user.find(marker="field-name").elements.pop()
    assert isinstance(name, ui.input) and name.value == "Last call email"
    assert canvas(user).marks["email"] == "changed"  # the review is still open, its outlines too
