"""/faq: marketers edit the knowledge base and import it from CSV; viewers and agents read it and try questions;
a role lowered while the tab is open cannot save; an agent cannot open the journey builder."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from app.access import audit, auth
from app.conversations import knowledge_store
from app.core.context import current
from tests import faq_support
from tests.auth_helpers import PASSWORD, login

GOOD = "lang,intent,questions,answer\nen,returns,How do I return an item? | Return policy,You have 30 days.\n"


def _seed() -> None:
    knowledge_store.import_csv(current(), (faq_support.FIXTURES / "knowledge.csv").read_text("utf-8"), actor="test")


async def _upload(user: User, content: str) -> None:
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload(name="faq.csv", content_type="text/csv", _data=content.encode())])


def _new_entry(user: User, intent: str, questions: str, answer: str) -> None:
    user.find(marker="faq-new").click()
    user.find(marker="faq-field-intent").type(intent)
    user.find(marker="faq-field-questions").type(questions)
    user.find(marker="faq-field-answer").type(answer)


async def test_marketer_adds_an_entry_and_the_bot_answers_with_it(user: User) -> None:
    await login(user, "marketer")
    await user.open("/faq")
    await user.should_see(marker="faq-empty")
    _new_entry(
        user, "opening_hours", "When are you open?\nWhat are your opening hours?", "Monday to Saturday, 9 am to 7 pm."
    )
    user.find(marker="faq-save").click()
    await user.should_see(marker="faq-entry-en-opening_hours")
    user.find(marker="faq-try").type("what are the opening hours")
    user.find(marker="faq-ask").click()
    await user.should_see("Monday to Saturday, 9 am to 7 pm.", marker="faq-verdict")
    assert [e.actor for e in audit.entries(current(), action="faq.create")] == ["marketer@example.com"]


async def test_a_bad_csv_row_is_named_and_nothing_is_imported(user: User) -> None:
    await login(user, "marketer")
    await user.open("/faq")
    await _upload(user, GOOD + "xx,delivery,When?,Soon.\n")
    await user.should_see("Nothing was imported: line 3, column lang: must be one of en, fr")
    assert knowledge_store.entries(current()) == []
    await _upload(user, GOOD)
    await user.should_see("1 created, 0 updated.")
    await user.should_see(marker="faq-entry-en-returns")


async def _read_only(user: User, role: str) -> None:
    """The seeded knowledge base as ``role`` sees it: every entry, no way to change one."""
    _seed()
    await login(user, role)
    await user.open("/faq")
    await user.should_see(marker="faq-entry-fr-card_lost")
    await user.should_not_see(marker="faq-new")
    await user.should_not_see(marker="faq-delete-fr-card_lost")


async def test_viewer_reads_and_tries_questions_but_cannot_edit(user: User) -> None:
    await _read_only(user, "viewer")
    user.find(marker="faq-try").type("j'ai perdu ma carte")
    user.find(marker="faq-ask").click()
    await user.should_see("card_lost", marker="faq-verdict")


async def test_a_marketer_demoted_while_editing_cannot_save(user: User) -> None:
    email = await login(user, "marketer")
    auth.create_user(current(), email="boss@example.com", password=PASSWORD, role="admin", actor="test")
    await user.open("/faq")
    _new_entry(user, "returns", "Return?", "30 days.")
    auth.change_role(current(), email=email, role="viewer", actor="boss@example.com")
    user.find(marker="faq-save").click()
    await user.should_see("Your role no longer allows this (it needs Marketer). Nothing was changed.")
    assert knowledge_store.entries(current()) == []


async def test_agent_sees_inbox_and_faq_only_and_cannot_open_the_builder(user: User) -> None:
    await _read_only(user, "agent")
    nav = [link.text for link in user.find(marker="main-nav").elements.pop().descendants() if hasattr(link, "text")]
    assert [text for text in nav if text] == ["Inbox", "FAQ"]
    refused = await user.http_client.get("/journeys/1", follow_redirects=False)
    assert (refused.status_code, refused.headers["location"]) == (303, "/denied")
    for path in ("/", "/contacts", "/dashboard", "/settings"):
        response = await user.http_client.get(path, follow_redirects=False)
        assert response.headers["location"] == "/denied", path


async def test_an_agent_lands_on_the_inbox_after_signing_in(user: User) -> None:
    await login(user, "agent")
    await user.should_see("Inbox", marker="page-title")
    await user.should_see(marker="inbox-figures")


async def test_deleting_an_entry_asks_first(user: User) -> None:
    _seed()
    await login(user, "marketer")
    await user.open("/faq")
    user.find(marker="faq-delete-fr-card_lost").click()
    await user.should_see("Delete the entry FR · card_lost? The bot stops answering with it.")
    assert ("fr", "card_lost") in {(r["lang"], r["intent"]) for r in knowledge_store.entries(current())}
    user.find(marker="faq-delete-confirm").click()
    await user.should_see("Entry deleted.")
    await user.should_not_see(marker="faq-entry-fr-card_lost")
    assert ("fr", "card_lost") not in {(r["lang"], r["intent"]) for r in knowledge_store.entries(current())}
    assert [e.target for e in audit.entries(current(), action="faq.delete")] == ["fr/card_lost"]
