"""The journeys page: create, rename, duplicate, delete, import, export and languages (User fixture)."""

from __future__ import annotations

import json

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from app.authoring import service as svc
from app.core.context import current
from storage import journeys as store
from tests.auth_helpers import login
from tests.conftest import load_template_dict


def _names() -> list[str]:
    with current().db.session() as session:
        return [row.name for row in store.list_journeys(session)]


async def _upload(user: User, name: str, content: bytes) -> None:
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload(name=name, content_type="application/json", _data=content)])


async def test_create_from_template_lists_it_with_draft_status(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    await user.should_see("No journeys yet")
    user.find(marker="new-journey").click()
    await user.should_see("Abandoned")
    user.find(marker="use-template-abandoned_cart").click()
    await user.should_see("Publish", retries=50)  # the new journey opens in the builder (a page load)
    await user.open("/")
    await user.should_see(marker="journey-list")
    assert len(_names()) == 1
    await user.should_see(_names()[0])
    await user.should_see("draft")
    await user.should_see("0 entered · 0 in progress")


async def test_create_blank_journey_with_a_name(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find(marker="new-journey").click()
    user.find(marker="new-journey-name").type("Welcome series")
    user.find(marker="create-blank").click()
    await user.should_see("Welcome series")
    assert _names() == ["Welcome series"]


async def test_rename_changes_the_listed_name(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.create_journey(current(), name="Old name")
    await user.open("/")
    user.find(marker=f"rename-{journey_id}").click()
    user.find(marker="rename-input").clear().type("New name")
    user.find(marker="rename-save").click()
    await user.should_see("New name")
    assert _names() == ["New name"]


async def test_rename_to_blank_is_refused(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.create_journey(current(), name="Keep me")
    await user.open("/")
    user.find(marker=f"rename-{journey_id}").click()
    user.find(marker="rename-input").clear().type("   ")
    user.find(marker="rename-save").click()
    await user.should_see("Give the journey a name")
    assert _names() == ["Keep me"]


async def test_duplicate_adds_a_copy(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.create_journey(current(), name="Original")
    await user.open("/")
    user.find(marker=f"duplicate-{journey_id}").click()
    await user.should_see("Original (copy)")
    assert sorted(_names()) == ["Original", "Original (copy)"]


async def test_delete_asks_for_confirmation_first(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.create_journey(current(), name="Doomed")
    await user.open("/")
    user.find(marker=f"delete-{journey_id}").click()
    await user.should_see("Delete “Doomed”?")
    user.find(marker="cancel-delete").click()
    assert _names() == ["Doomed"]
    user.find(marker=f"delete-{journey_id}").click()
    user.find(marker="confirm-delete").click()
    await user.should_see("No journeys yet")
    assert _names() == []


async def test_import_valid_file_adds_the_journey(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find(marker="import-journey").click()
    await _upload(user, "flight.json", json.dumps(load_template_dict("flight_delay")).encode())
    await user.should_see(marker="journey-list")
    await user.should_see("Imported “Flight-delay push”")
    assert _names() == ["Flight-delay push"]


async def test_import_invalid_journey_lists_violations_and_stores_nothing(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    doc = load_template_dict("flight_delay")
    doc["edges"] = []  # every step after the entry becomes unreachable
    user.find(marker="import-journey").click()
    await _upload(user, "broken.json", json.dumps(doc).encode())
    await user.should_see("Not imported")
    await user.should_see(marker="import-violation")
    assert _names() == []


async def test_import_unreadable_file_says_so_without_traceback(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find(marker="import-journey").click()
    await _upload(user, "junk.json", b"{not json")
    await user.should_see("This file cannot be read as a journey")
    await user.should_see("not valid JSON")
    await user.should_not_see("Traceback")
    assert _names() == []


async def test_export_downloads_the_canonical_document(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.import_journey(current(), load_template_dict("flight_delay"))
    await user.open("/")
    user.find(marker=f"export-{journey_id}").click()
    response = await user.download.next()
    assert response.text == svc.export_journey(current(), journey_id)
    assert json.loads(response.text)["name"] == "Flight-delay push"


async def test_language_switch_shows_french_and_is_remembered(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    await user.should_see("No journeys yet")
    user.find(marker="language-switcher").elements.pop().value = "fr"
    await user.should_see("Aucun parcours pour l'instant")
    await user.should_see("Paramètres")
    await user.open("/")
    await user.should_see("Aucun parcours pour l'instant")


async def test_names_with_markup_and_quotes_render_as_text(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    svc.create_journey(current(), name='<script>alert("x")</script> l\'été')
    await user.open("/")
    await user.should_see('<script>alert("x")</script> l\'été')


async def test_browser_language_is_the_default_until_the_user_chooses(user: User) -> None:
    await login(user, "admin")  # the settings page is for admins
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9,en;q=0.5"
    await user.open("/settings")
    await user.should_see("Règles d'envoi")
    user.find(marker="language-switcher").elements.pop().value = "en"
    await user.should_see("Delivery policy")
    await user.open("/contacts")
    await user.should_see("No contacts yet")


async def test_new_blank_journey_opens_in_the_builder(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find(marker="new-journey").click()
    user.find(marker="new-journey-name").type("Winback")
    user.find(marker="create-blank").click()
    await user.should_see("Winback")
    # "An entry and an exit to start from": both are on the canvas, wired, and the entry's form is open
    await user.should_see(marker="field-event")
    canvas = user.find(marker="canvas").elements.pop()
    assert [n["type"] for n in canvas.nodes] == ["entry.event", "exit"]
    assert [(e["source"], e["target"]) for e in canvas.edges] == [("entry_event_1", "exit_1")]
    await user.should_see("Problems (1)")
    await user.should_not_see("No entry step")


async def test_archive_marks_the_journey_archived(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = svc.create_journey(current(), name="Old campaign")
    await user.open("/")
    user.find(marker=f"archive-{journey_id}").click()
    await user.should_see("archived")
    with current().db.session() as session:
        assert store.get_journey(session, journey_id=journey_id).status == "archived"
    await user.should_not_see(marker=f"archive-{journey_id}")
