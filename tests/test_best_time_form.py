"""The best-time option in the side panel: the form writes the settings to the draft, shows them again when the
step is reopened, and draws the preview of when the workspace's contacts would get the message."""

from __future__ import annotations

from nicegui.testing import User

from app.core.context import current
from tests.auth_helpers import login
from tests.engine_support import add_contacts
from tests.test_builder_page import draft, open_cart


async def test_best_time_option_round_trips_through_the_draft_and_previews_the_audience(user: User) -> None:
    await login(user, "marketer")
    add_contacts(current(), 3, time_zone="Europe/Paris")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    await user.should_see("Send at each contact's best time")
    await user.should_not_see(marker="best-time-chart")
    user.find(marker="field-best_time").elements.pop().set_value(True)
    user.find(marker="field-best_time_hours").elements.pop().set_value(12)
    user.find(marker="field-best_time_fallback").type("09:30")
    config = draft(journey_id)[0].node("sms").config  # type: ignore[union-attr]
    assert (config["best_time"], config["best_time_hours"], config["best_time_fallback"]) == (True, 12, "09:30")
    await user.should_see(marker="best-time-chart")
    await user.should_see("0 contacts with enough history (5 or more opens or sessions), 0 with a little")
    await user.should_see("3 with none (the fallback time)")

    user.find(marker="canvas").trigger("nodeSelected", {"id": "wait_24h"})
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    await user.should_see(marker="best-time-chart")
    (hours,) = user.find(marker="field-best_time_hours").elements
    (fallback,) = user.find(marker="field-best_time_fallback").elements
    assert (hours.value, fallback.value) == (12, "09:30")


async def test_wait_until_offers_the_contact_best_time(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="canvas").trigger("nodeAdded", {"type": "wait.until", "x": 0, "y": 0})
    await user.should_see("Best time within the next (hours, 1 to 168)")
    user.find(marker="field-mode").elements.pop().set_value("best_time")
    user.find(marker="field-within_hours").elements.pop().set_value(36)
    config = draft(journey_id)[0].node("wait_until_1").config  # type: ignore[union-attr]
    assert (config["mode"], config["within_hours"]) == ("best_time", 36)
    await user.should_see(marker="best-time-chart")
