"""/models through the User fixture on a real database: a goal added, trained, shown with its figures and
drivers; too little data shows the refusal; a viewer's click is refused."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.access import auth
from app.core.context import current
from app.predictions import overview, service
from storage import predictions as store
from tests.auth_helpers import PASSWORD, login
from tests.engine_support import add_contacts, track
from tests.prediction_support import busy_shoppers
from tests.test_guard import REFUSED
from tests.test_segments_page import set_value


async def test_a_marketer_adds_a_goal_trains_it_and_sees_auc_bands_and_drivers(user: User) -> None:
    busy_shoppers(current(), 400)
    await login(user, "marketer")
    await user.open("/models")
    await user.should_see(marker="models-none")
    user.find(marker="models-event").type("Order Completed")
    user.find(marker="models-add-submit").click()
    await user.should_see(marker="models-train-order_completed")
    user.find(marker="models-train-order_completed").click()
    await user.should_see(marker="models-auc-order_completed", retries=100)
    (goal,) = overview.goals(current())
    await user.should_see(f"{goal.auc:.3f}")
    await user.should_see("predicted.order_completed")
    await user.should_see("likely to do “Order Completed”")
    bands = ", ".join(f"{name} {goal.bands.get(band, 0):,}" for name, band in (("High", "high"), ("Medium", "medium")))
    await user.should_see(f"Contacts by band: {bands}")
    assert sum(goal.bands.values()) == 400


async def test_too_little_data_shows_the_refusal_instead_of_a_model(user: User) -> None:
    people = add_contacts(current(), 12)
    track(current(), people, "Order Completed", revenue=5)
    service.add_goal(current(), "Order Completed", 7)
    await login(user, "marketer")
    await user.open("/models")
    user.find(marker="models-train-order_completed").click()
    await user.should_see(marker="models-refusal-order_completed", retries=100)
    await user.should_see("contacts were active in the training period; at least 200 are needed")
    assert overview.goals(current())[0].trained_at is None


async def test_a_bad_goal_is_refused_with_the_field_named(user: User) -> None:
    await login(user, "marketer")
    await user.open("/models")
    user.find(marker="models-event").type("Order Completed")
    user.find(marker="models-horizon").clear().type("400")
    user.find(marker="models-add-submit").click()
    await user.should_see("horizon_days: must be from 1 to 90")
    assert overview.goals(current()) == []


async def test_the_train_button_is_refused_for_a_viewer(user: User) -> None:
    busy_shoppers(current(), 250)
    service.add_goal(current(), "Order Completed", 14)
    email = await login(user, "marketer")
    auth.create_user(current(), email="boss@example.com", password=PASSWORD, role="admin", actor="test")
    await user.open("/models")
    auth.change_role(current(), email=email, role="viewer", actor="boss@example.com")
    user.find(marker="models-train-order_completed").click()
    await user.should_see(REFUSED)
    assert overview.goals(current())[0].trained_at is None


async def test_the_segment_builder_counts_contacts_by_predicted_band_and_score(user: User) -> None:
    hot, cold = add_contacts(current(), 2)
    rows = [
        {"contact_id": hot, "model_id": 1, "score": 0.9, "band": "high", "scored_at": 0},
        {"contact_id": cold, "model_id": 1, "score": 0.1, "band": "low", "scored_at": 0},
    ]
    with current().db.engine.begin() as conn:
        store.replace_scores(conn, "order_completed", rows)
    await login(user, "marketer")
    await user.open("/segments")
    user.find(kind=ui.button, marker="add-condition").click()
    await set_value(user, "kind", "predicted")
    await user.should_see("1 matching contacts")  # the default: order_completed, band is high
    await set_value(user, "predicted-test", "lt")
    await set_value(user, "value", "0.5")
    await user.should_see("1 matching contacts")
    await set_value(user, "value", "0.95")
    await user.should_see("2 matching contacts")
    await set_value(user, "value", "2")
    await user.should_see("Cannot count")
