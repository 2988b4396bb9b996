"""The live tracking debugger (/debugger): calls sent through the real tracking handler show up with their key,
warnings and refusals, can be filtered and opened, and the page is for marketers."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.testing import User

from app.core.context import current
from app.tracking import debug as tracking_debug
from tests.auth_helpers import login
from tests.tracking_client import tracking_client

BATCH = {
    "batch": [
        {"type": "track", "userId": "ann", "event": "Order Completed", "properties": {"total": 27.5}},
        {"type": "identify", "userId": "ann", "traits": {"email": "not an email", "plan": "pro"}},
        {"type": "track", "event": "Orphan Event"},  # nobody to attribute it to: refused
    ]
}
SIGNUP = {"userId": "bob", "event": "Signed Up"}


def _send(*calls: tuple[str, dict[str, Any]]) -> None:
    with tracking_client(current()) as client:
        for path, body in calls:
            assert client.post(path, json=body).status_code in (200, 400)


def _table(user: User) -> ui.table:
    return user.find(marker="debugger-table").elements.pop()


def _shown(user: User) -> list[tuple[Any, ...]]:
    return [(r["path"], r["events"], r["users"], r["kept"], r["warnings"], r["refusals"]) for r in _table(user).rows]


async def test_calls_sent_to_the_tracking_api_appear_newest_first_with_warnings_and_refusals(user: User) -> None:
    _send(("/batch", BATCH), ("/track", SIGNUP))
    await login(user, "marketer")
    await user.open("/debugger")
    assert _shown(user) == [
        ("/api/v1/track", "Signed Up", "bob", 1, 0, 0),
        ("/api/v1/batch", "Order Completed", "ann", 2, 1, 1),
    ]
    batch_row = _table(user).rows[1]
    assert batch_row["key"].startswith("tests (pk_") and batch_row["types"] == "identify, track"

    user.find(marker="debugger-table").trigger("rowClick", [{}, batch_row, 1])
    await user.should_see(marker="debugger-detail-title")
    warnings = user.find(marker="debugger-warnings").elements.pop().rows
    refusals = user.find(marker="debugger-refusals").elements.pop().rows
    messages = user.find(marker="debugger-messages").elements.pop().rows
    assert [(w["index"], w["field"]) for w in warnings] == [(1, "traits.email")]
    assert [(r["index"], r["field"]) for r in refusals] == [(2, "userId")]
    assert [(m["index"], m["type"], m["name"], m["user"]) for m in messages] == [
        (0, "track", "Order Completed", "ann"),
        (1, "identify", "", "ann"),
    ]


async def test_a_call_arriving_while_the_page_is_open_shows_up_without_reloading(user: User) -> None:
    await login(user, "marketer")
    await user.open("/debugger")
    await user.should_see(marker="debugger-empty")
    assert _table(user).rows == []
    _send(("/track", SIGNUP))
    await user.should_not_see(marker="debugger-empty", retries=50)  # the page's timer redraws once a second
    assert [r["events"] for r in _table(user).rows] == ["Signed Up"]


async def test_filters_narrow_the_calls_by_type_text_and_status(user: User) -> None:
    _send(("/batch", BATCH), ("/track", SIGNUP), ("/identify", {"userId": "carla", "traits": {"plan": "free"}}))
    await login(user, "marketer")
    await user.open("/debugger")
    assert [r["users"] for r in _table(user).rows] == ["carla", "bob", "ann"]

    user.find(marker="debugger-type").elements.pop().set_value("identify")
    assert [r["users"] for r in _table(user).rows] == ["carla", "ann"]
    user.find(marker="debugger-type").elements.pop().set_value("all")

    user.find(marker="debugger-text").type("order")  # event names, case-insensitive
    assert [r["users"] for r in _table(user).rows] == ["ann"]
    user.find(marker="debugger-text").clear().type("BOB")  # user ids too
    assert [r["users"] for r in _table(user).rows] == ["bob"]
    user.find(marker="debugger-text").clear()

    user.find(marker="debugger-status").elements.pop().set_value("refusals")
    assert [r["users"] for r in _table(user).rows] == ["ann"]
    user.find(marker="debugger-type").elements.pop().set_value("screen")
    assert _table(user).rows == []
    await user.should_see(marker="debugger-empty")


async def test_a_viewer_is_refused_the_debugger_and_does_not_see_it_in_the_menu(user: User) -> None:
    _send(("/track", SIGNUP))
    await login(user, "viewer")
    await user.open("/debugger")
    await user.should_see("Your role does not give access to this page.")
    await user.should_not_see(marker="debugger-table")
    await user.open("/")
    await user.should_not_see("Debugger")


async def test_a_marketer_finds_the_debugger_in_the_menu(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find("Debugger").click()
    await user.should_see(marker="debugger-table")


def test_the_debugger_keeps_the_last_calls_only_and_a_bounded_summary_of_each(ctx) -> None:
    big = {"batch": [{"type": "track", "userId": f"u{i}", "event": f"E{i}"} for i in range(tracking_debug.SCAN + 50)]}
    with tracking_client(ctx) as client:
        assert client.post("/batch", json=big).json()["stored"] == tracking_debug.SCAN + 50
        for i in range(tracking_debug.CAPACITY):
            assert client.post("/track", json={"userId": f"v{i}", "event": "Tick"}).status_code == 200
    calls = tracking_debug.recent(ctx)
    assert len(calls) == tracking_debug.CAPACITY  # the big batch, the oldest, was dropped
    assert [c.users for c in calls[:2]] == [[f"v{tracking_debug.CAPACITY - 1}"], [f"v{tracking_debug.CAPACITY - 2}"]]
    with tracking_client(ctx) as client:
        client.post("/batch", json=big)
    newest = tracking_debug.recent(ctx)[0]
    size = tracking_debug.SCAN + 50
    assert (newest.received, newest.kept, len(newest.messages)) == (size, size, tracking_debug.SCAN)
