"""The publish review shows the forecast of the draft's next 7 days: figures, the chart, skips and assumptions."""

from __future__ import annotations

from nicegui.testing import User

from app.authoring import service as svc
from app.core.context import current
from storage.engine_models import Enrollment, OutboxMessage
from tests.auth_helpers import login
from tests.engine_support import add_contacts
from tests.test_builder_page import draft, open_cart
from tests.test_forecast import daily_events, rows


async def test_publish_review_shows_the_forecast_with_skips_and_sends_nothing(user: User) -> None:
    await login(user, "marketer")
    ctx = current()
    reachable = add_contacts(ctx, 4, consent={"sms": "subscribed", "email": "subscribed"})
    silent = add_contacts(ctx, 4, consent={})
    daily_events(ctx, reachable + silent, "Checkout Started", hour=12)
    await open_cart(user, settings={"reentry": {"mode": "never"}})
    user.find(marker="publish").click()
    await user.should_see(marker="forecast-chart")
    # Each of the 8 contacts enters once (re-entry: never); the 4 without SMS consent are skipped.
    await user.should_see("About 8 entries expected.")
    await user.should_see("SMS: about 4 messages")
    chart = user.find(marker="forecast-chart").elements.pop()
    traces = {trace["name"]: trace["y"] for trace in chart.figure["data"]}
    assert sum(traces["Entries"]) == 8 and sum(traces["SMS"]) == 4  # per day, over the week
    await user.should_see(marker="forecast-skips")
    table = user.find(marker="forecast-skips").elements.pop()
    skips = {(row["channel"], row["reason"], row["count"]) for row in table.rows}
    assert ("SMS", "No consent for this channel", "4") in skips
    await user.should_see("replayed as the coming week", marker="forecast-assumptions")
    assert rows(ctx, OutboxMessage) == 0 and rows(ctx, Enrollment) == 0


async def test_publish_review_says_when_there_is_not_enough_history(user: User) -> None:
    await login(user, "marketer")
    add_contacts(current(), 3)
    await open_cart(user)
    user.find(marker="publish").click()
    await user.should_see(marker="forecast-no-history")
    await user.should_see("About 0 entries expected.")


async def test_publish_review_of_an_invalid_draft_gives_no_forecast(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user)
    doc, revision = draft(journey_id)
    sms = doc.node("sms")
    assert sms is not None
    sms.config["body"] = ""
    svc.save_draft(current(), journey_id, doc, expected_revision=revision)
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="publish").click()
    await user.should_see(marker="forecast-invalid")
