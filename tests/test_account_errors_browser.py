"""Account form refusals are said under the field they concern, in real Chromium (admin users page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

from app.access import auth
from app.core.context import AppContext
from tests.auth_helpers import PASSWORD, signed_in_page
from tests.browser import VIEWPORT, ConsoleErrors, chromium

pytestmark = pytest.mark.browser
SHORT = "Enter a password of at least 10 characters"


def field(page: Page, label: str) -> Locator:
    """The whole Quasar field (input, label and the message line under it) of the input labelled ``label``."""
    return page.locator("label.q-field").filter(has=page.get_by_label(label, exact=True))


def test_a_too_short_password_is_said_under_the_password_field(server, ctx: AppContext) -> None:  # noqa: ANN001
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "admin", viewport=VIEWPORT))
        page.goto(server.base_url + "/admin/users")
        page.get_by_label("Email", exact=True).fill("new.person@example.com")
        page.get_by_label("Initial password", exact=True).fill("short")
        page.get_by_role("button", name="Add", exact=True).click()
        field(page, "Initial password").locator(".q-field__messages").get_by_text(SHORT).wait_for()
        assert "q-field--error" in (field(page, "Initial password").get_attribute("class") or "")
        assert "q-field--error" not in (field(page, "Email").get_attribute("class") or "")
        assert page.locator(".q-notification").filter(has_text=SHORT).count() == 0

        page.get_by_label("Initial password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Add", exact=True).click()
        page.get_by_text("User added.").wait_for()
        assert "q-field--error" not in (field(page, "Initial password").get_attribute("class") or "")

        row = page.locator(".q-card").filter(has_text="new.person@example.com").first
        row.get_by_role("button", name="Change password").click()
        dialog = page.locator(".q-dialog")
        dialog.get_by_label("New password", exact=True).fill("tiny")
        dialog.get_by_role("button", name="Save").click()
        dialog.locator("label.q-field .q-field__messages").get_by_text(SHORT).wait_for()
        assert auth.login(ctx, email="new.person@example.com", password=PASSWORD).email == "new.person@example.com"
    assert errors == []
