"""/inbox: conversations the bot handed over, with the bot's turns; agents answer through the conversation's
channel (audited with who answered) and close; viewers read only; the list updates by itself."""

from __future__ import annotations

from nicegui.testing import User

from app.access import audit, auth
from app.audience import consent
from app.conversations import inbound, knowledge_store
from app.core.context import current
from tests import faq_support
from tests.auth_helpers import PASSWORD, login
from tests.conversation_support import conversations
from tests.engine_support import add_contacts, outbox


def _handed_over() -> tuple[int, int]:
    """A contact who got a bot answer, then asked for a person: (contact id, conversation id)."""
    ctx = current()
    knowledge_store.import_csv(ctx, (faq_support.FIXTURES / "knowledge.csv").read_text("utf-8"), actor="test")
    (cid,) = add_contacts(ctx, 1)
    inbound.receive(ctx, channel="sms", contact_id=cid, text="Where is my order?")
    got = inbound.receive(ctx, channel="sms", contact_id=cid, text="That does not help, I want a human")
    assert got.conversation_id is not None
    return cid, got.conversation_id


async def test_agent_reads_the_history_replies_by_sms_and_closes(user: User) -> None:
    cid, conversation_id = _handed_over()
    await login(user, "agent", name="Sam Martin")
    await user.open("/inbox")
    await user.should_see("That does not help, I want a human", marker=f"conversation-{conversation_id}")
    user.find(marker=f"conversation-{conversation_id}").trigger("click")
    await user.should_see("Follow your parcel from Account > Orders", retries=20)  # the bot's turn
    await user.should_see("Bot · order_tracking")
    user.find(marker="inbox-reply").type("Hello, Sam here: your parcel leaves today.")
    user.find(marker="inbox-send").click()
    await user.should_see("Sent.")
    await user.should_see("Agent · Sam Martin ·")  # the turn names who answered
    bodies = [m.payload["body"] for m in outbox(current(), channel="sms", contact_id=cid)]
    assert bodies[-1] == "Hello, Sam here: your parcel leaves today."
    replies = audit.entries(current(), action="inbox.reply")
    assert [(e.actor, e.target) for e in replies] == [("agent@example.com", f"conversation {conversation_id}")]
    user.find(marker="inbox-close").click()
    await user.should_see("Conversation closed.")
    assert [c.status for c in conversations(current())] == ["closed"]
    assert [e.actor for e in audit.entries(current(), action="inbox.close")] == ["agent@example.com"]


async def test_viewer_reads_the_inbox_but_cannot_reply(user: User) -> None:
    _, conversation_id = _handed_over()
    await login(user, "viewer")
    await user.open("/inbox")
    user.find(marker=f"conversation-{conversation_id}").trigger("click")
    await user.should_see("That does not help, I want a human", marker="inbox-thread", retries=20)
    await user.should_not_see(marker="inbox-reply")
    await user.should_not_see(marker="inbox-close")


async def test_an_agent_demoted_while_the_tab_is_open_cannot_send(user: User) -> None:
    cid, conversation_id = _handed_over()
    email = await login(user, "agent")
    auth.create_user(current(), email="boss@example.com", password=PASSWORD, role="admin", actor="test")
    await user.open("/inbox")
    user.find(marker=f"conversation-{conversation_id}").trigger("click")
    await user.should_see(marker="inbox-reply", retries=20)
    user.find(marker="inbox-reply").type("I should not be sent")
    auth.change_role(current(), email=email, role="viewer", actor="boss@example.com")
    user.find(marker="inbox-send").click()
    await user.should_see("Your role no longer allows this (it needs Agent). Nothing was changed.")
    assert "I should not be sent" not in [m.payload["body"] for m in outbox(current(), contact_id=cid)]


async def test_a_new_hand_over_appears_without_reloading(user: User) -> None:
    await login(user, "marketer")
    await user.open("/inbox")
    await user.should_see(marker="inbox-empty")
    await user.should_see("0", marker="figure-waiting")
    _, conversation_id = _handed_over()
    await user.should_see(marker=f"conversation-{conversation_id}", retries=40)  # the page's live refresh
    await user.should_see("1", marker="figure-waiting")


async def test_consent_still_applies_to_an_agent_answer(user: User) -> None:
    cid, conversation_id = _handed_over()
    consent.set_consent(current(), cid, "sms", "unsubscribed", "ui", "admin@example.com")
    await login(user, "agent")
    await user.open("/inbox")
    user.find(marker=f"conversation-{conversation_id}").trigger("click")
    await user.should_see(marker="inbox-reply", retries=20)
    user.find(marker="inbox-reply").type("Are you still there?")
    user.find(marker="inbox-send").click()
    await user.should_see("Not sent: this contact does not accept messages on this channel.")
    assert "Are you still there?" not in [m.payload["body"] for m in outbox(current(), contact_id=cid)]
    assert audit.entries(current(), action="inbox.reply") == []


async def test_filters_show_conversations_by_status(user: User) -> None:
    _, conversation_id = _handed_over()
    await login(user, "viewer")
    await user.open("/inbox")
    await user.should_see(marker=f"conversation-{conversation_id}")
    user.find(marker="inbox-status").elements.pop().value = "closed"
    await user.should_see(marker="inbox-empty")
    await user.should_not_see(marker=f"conversation-{conversation_id}")
    user.find(marker="inbox-status").elements.pop().value = ""
    await user.should_see(marker=f"conversation-{conversation_id}")


async def test_a_new_message_shows_in_the_open_thread_and_keeps_the_answer_being_typed(user: User) -> None:
    cid, conversation_id = _handed_over()
    await login(user, "agent")
    await user.open("/inbox")
    user.find(marker=f"conversation-{conversation_id}").trigger("click")
    await user.should_see(marker="inbox-reply", retries=20)
    user.find(marker="inbox-reply").type("Let me check")
    inbound.receive(current(), channel="sms", contact_id=cid, text="Order number 12345, by the way")
    await user.should_see("Order number 12345, by the way", marker="inbox-thread", retries=40)  # live refresh
    assert user.find(marker="inbox-reply").elements.pop().value == "Let me check"


async def test_a_deactivated_agents_open_tab_stops_showing_conversations(user: User) -> None:
    email = await login(user, "agent")
    auth.create_user(current(), email="boss@example.com", password=PASSWORD, role="admin", actor="test")
    await user.open("/inbox")
    await user.should_see(marker="inbox-empty")
    auth.set_active(current(), email=email, active=False, actor="boss@example.com")
    _, conversation_id = _handed_over()
    await user.should_see(marker="login-submit", retries=40)  # the next live refresh sends the tab to sign-in
    await user.should_not_see(marker=f"conversation-{conversation_id}")
