"""The inbox in real Chromium: an agent signs in to it, reads a conversation the bot handed over, answers it by
SMS, and sees the contact's next message arrive without reloading."""

from __future__ import annotations

import pytest

from app.conversations import inbound, knowledge_store
from app.core.context import AppContext
from tests import faq_support
from tests.auth_helpers import signed_in_page
from tests.browser import VIEWPORT, ConsoleErrors, chromium
from tests.conftest import ROOT
from tests.engine_support import add_contacts, outbox

pytestmark = pytest.mark.browser


def test_agent_answers_a_handed_over_conversation_and_sees_the_next_message_live(server, ctx: AppContext) -> None:  # noqa: ANN001
    knowledge_store.import_csv(ctx, (faq_support.FIXTURES / "knowledge.csv").read_text("utf-8"), actor="test")
    (cid,) = add_contacts(ctx, 1)
    inbound.receive(ctx, channel="sms", contact_id=cid, text="How much is shipping?")
    got = inbound.receive(ctx, channel="sms", contact_id=cid, text="I'd rather talk to a person")
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "agent", viewport=VIEWPORT))
        page.get_by_text("I'd rather talk to a person").first.click()  # signed in, the agent lands on the inbox
        page.get_by_text("Delivery is free from 50 euros").wait_for()  # the bot's earlier answer
        page.get_by_label("Your answer").fill("Hello, I can help: what is your order number?")
        page.get_by_role("button", name="Send", exact=True).click()
        page.get_by_text("Sent.").wait_for()
        inbound.receive(ctx, channel="sms", contact_id=cid, text="It is 4512")
        page.locator(".whitespace-pre-wrap").filter(has_text="It is 4512").wait_for()  # the thread refreshes itself
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "test-artifacts" / "inbox.png"), full_page=True)
    bodies = [m.payload["body"] for m in outbox(ctx, channel="sms", contact_id=cid)]
    assert bodies == [bodies[0], "Hello, I can help: what is your order number?"]
    assert got.conversation_id is not None
    assert errors == []
