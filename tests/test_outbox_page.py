"""The outbox page shows sandbox messages to the marketer."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.core.context import current
from app.delivery.dispatch import Dispatcher
from app.engine.engine import Engine
from tests.auth_helpers import login
from tests.engine_support import add_contacts, journey, publish, track


async def test_outbox_page_lists_sandbox_messages(user: User) -> None:
    await login(user, "marketer")
    await user.open("/outbox")
    await user.should_see("No messages yet.")
    ctx = current()
    ids = add_contacts(ctx, 1)
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("msg", "message.push", {"body": "Sandboxed hello", "transactional": True}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )
    publish(ctx, doc)
    track(ctx, ids, "go")
    Engine(ctx).run()
    Dispatcher(ctx).run()
    await user.open("/outbox?status=sandbox")
    table = user.find(marker="outbox-table").elements.pop()
    assert [(r["content"], r["status"], r["contact"]) for r in table.rows] == [("Sandboxed hello", "Sandbox", "user-1")]


async def test_outbox_is_in_the_main_menu_for_marketers_and_opens_from_it(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find(kind=ui.link, content="Outbox").click()
    await user.should_see("No messages yet.")


async def test_viewers_get_no_outbox_link_they_could_not_open(user: User) -> None:
    await login(user, "viewer")
    await user.open("/")
    await user.should_not_see("Outbox")
