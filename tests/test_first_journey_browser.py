"""A marketer's first journey in real Chromium: the abandoned-cart journey built from a blank journey in at
most 15 UI actions with real mouse drags, published, then fed by an app through the tracking API until the SMS
is in the sandbox outbox and the numbers move on the canvas and on the analytics page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Locator, Page

from app.access import api_keys as api_key_service
from app.core.context import AppContext
from app.delivery.dispatch import Dispatcher
from app.engine.engine import Engine
from journeys.clock import FrozenClock
from storage import journeys as store
from tests.browser import center, node, wait_for_edge
from tests.canvas_support import drag_step, edge_middle, field, marketer_page, settle

pytestmark = pytest.mark.browser
MAX_ACTIONS = 15
SMS_BODY = "Your cart is waiting. STOP to opt out"
# Zones tried for the contact, so that an hour from now is daytime there whatever the hour of the test run:
# SMS respects quiet hours (21:00-08:00 local) by default.
ZONES = ("Europe/Paris", "America/New_York", "Pacific/Honolulu", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo")


class Actions:
    """Every UI action of the marketer goes through here, so the test can count them."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.log: list[str] = []

    def _note(self, what: str) -> None:
        self.count += 1
        self.log.append(what)

    def click(self, target: Locator, what: str) -> None:
        target.click()
        self._note(f"click {what}")

    def fill(self, target: Locator, value: str, what: str) -> None:
        target.fill(value)
        self._note(f"fill {what}")

    def press(self, target: Locator, key: str, what: str) -> None:
        target.press(key)
        self._note(f"press {key} in {what}")

    def drag_step(self, node_type: str, x: float, y: float, what: str) -> None:
        drag_step(self.page, node_type, x, y)
        self._note(f"drag {node_type} onto {what}")


@pytest.fixture
def page(server) -> Iterator[Page]:  # noqa: ANN001
    with marketer_page(server.base_url) as page:
        yield page


def daytime_zone(at: datetime) -> str:
    return next(zone for zone in ZONES if 10 <= at.astimezone(ZoneInfo(zone)).hour < 18)


def kpi(page: Page, label: str) -> Locator:
    card = page.locator(".q-card").filter(has=page.get_by_text(label, exact=True))
    return card.locator(".text-xl").first


def build(page: Page, act: Actions) -> None:
    """From the blank journey (entry -> exit, the entry's form open) to the abandoned-cart journey."""
    act.fill(field(page, "event"), "cart_abandoned", "the entry's event")
    act.press(field(page, "event"), "Enter", "the entry's event")
    page.get_by_text("cart_abandoned").first.wait_for()

    act.drag_step("wait.duration", *edge_middle(page, "entry_event_1", "next", "exit_1"), "entry -> exit")
    wait_for_edge(page, "wait_duration_1", "next", "exit_1")
    settle(page)
    act.drag_step("message.sms", *edge_middle(page, "wait_duration_1", "next", "exit_1"), "wait -> exit")
    wait_for_edge(page, "message_sms_1", "next", "exit_1")
    act.fill(field(page, "body"), SMS_BODY, "the SMS text")
    settle(page)
    act.drag_step("wait.event", *edge_middle(page, "message_sms_1", "next", "exit_1"), "SMS -> exit")
    wait_for_edge(page, "wait_event_1", "event", "exit_1")
    act.fill(field(page, "event"), "order_completed", "the event waited for")
    act.press(field(page, "event"), "Enter", "the event waited for")
    settle(page)
    act.drag_step(
        "message.email", *center(node(page, "wait_event_1").locator('.jc-add[data-port="timeout"]')), "timeout"
    )
    wait_for_edge(page, "wait_event_1", "timeout", "message_email_1")
    act.fill(field(page, "subject"), "You left something behind", "the email subject")
    act.fill(field(page, "body"), "<p>Your cart is waiting.</p>", "the email body")
    settle(page)
    act.drag_step("exit", *center(node(page, "message_email_1").locator('.jc-add[data-port="next"]')), "email's output")
    wait_for_edge(page, "message_email_1", "next", "exit_2")
    page.get_by_text("Problems (0)").wait_for()


def send_from_the_app(base_url: str, key: str, zone: str) -> None:
    """What a mobile app sends: who the person is (with the SMS opt-in it collected), then what they did."""
    auth = {"Authorization": f"Bearer {key}"}
    traits = {"phone": "+33612345678", "timezone": zone, "first_name": "Camille", "consent": {"sms": "subscribed"}}
    with httpx.Client(base_url=f"{base_url}/api/v1", headers=auth, timeout=10) as client:
        assert client.post("/identify", json={"userId": "shopper-1", "traits": traits}).status_code == 200
        tracked = client.post("/track", json={"userId": "shopper-1", "event": "cart_abandoned"})
        assert tracked.status_code == 200


def test_abandoned_cart_from_a_blank_journey_in_15_actions_then_the_sms_leaves(
    server,  # noqa: ANN001
    ctx: AppContext,
    page: Page,
) -> None:
    page.goto(server.base_url + "/")
    creating = Actions(page)
    creating.click(page.get_by_role("button", name="New journey"), "New journey")
    creating.click(page.get_by_role("button", name="Create").first, "create a blank journey")
    field(page, "event").wait_for()  # the blank journey opens with its entry's form, event still to choose
    assert page.locator(".vue-flow__node").count() == 2

    act = Actions(page)
    build(page, act)
    act.click(page.get_by_role("button", name="Publish"), "Publish")
    review = page.locator(".q-dialog")  # the publish review: what changes, who would be skipped, then confirm
    review.get_by_text("first version", exact=False).wait_for()
    act.click(review.get_by_role("button", name="Publish"), "confirm publishing")
    page.get_by_text("Published as version 1").wait_for()
    assert act.count <= MAX_ACTIONS, f"{act.count} actions: {act.log}"
    print(f"\nfirst journey: {act.count} actions to build and publish, {creating.count} to create it")

    with ctx.db.session() as session:
        journey = store.list_journeys(session)[0]
    assert journey.status == "live"
    _info, key = api_key_service.create(ctx, "Shop app", actor="test")
    now = datetime.now(UTC)  # the server stamps what it receives with the wall clock
    send_from_the_app(server.base_url, key, daytime_zone(now + timedelta(hours=1)))
    ctx.clock = FrozenClock(now + timedelta(seconds=5))
    Engine(ctx).run()  # enters, waits one hour
    ctx.clock.advance(timedelta(minutes=61))
    Engine(ctx).run()  # the SMS is written to the outbox; the contact waits for order_completed
    Dispatcher(ctx).run()  # no SMS provider configured: the sandbox takes it

    page.goto(server.base_url + "/outbox?status=sandbox")
    page.get_by_text(SMS_BODY).first.wait_for()

    page.goto(f"{server.base_url}/journeys/{journey.id}")
    waiting = node(page, "wait_event_1").get_by_test_id("node-count")
    waiting.wait_for()
    assert waiting.inner_text().strip().endswith("1")

    page.goto(f"{server.base_url}/journeys/{journey.id}/analytics")
    for label in ("Entered", "Messaged"):
        value: Any = kpi(page, label)
        value.wait_for()
        page.wait_for_function("(e) => e.textContent.trim() === '1'", arg=value.element_handle())
