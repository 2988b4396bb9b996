"""The settings page in real Chromium: the consent policy switch, and copy buttons for new keys and tokens."""

from __future__ import annotations

import pytest

from app.access import api_keys as api_key_service
from app.core.context import AppContext
from app.delivery.workspace import load_policy
from tests.auth_helpers import signed_in_page
from tests.browser import ConsoleErrors, chromium


@pytest.mark.browser
def test_admin_switches_sms_to_legitimate_interest_in_chromium(server, ctx: AppContext) -> None:
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "admin"))
        page.goto(server.base_url + "/settings")
        section = page.locator(".q-card", has_text="Who may receive each channel")
        section.get_by_text("A contact is subscribed as soon as your app reports a push token").wait_for()
        sms = section.locator(".q-option-group").nth(2)
        sms.get_by_text("Legitimate interest").click()
        section.get_by_role("button", name="Save").click()
        page.get_by_text("Consent policy saved.").wait_for()
    consent = load_policy(ctx).consent
    assert (consent.push, consent.email, consent.sms) == ("push_token", "opt_in", "legitimate_interest")
    assert errors == []


@pytest.mark.browser
def test_new_api_key_and_token_have_copy_buttons_that_fill_the_clipboard(server, ctx: AppContext) -> None:
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "admin"))
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
        page.goto(server.base_url + "/settings")
        copied = []
        for name_label, create in (
            ("Key name (e.g. iOS app)", "Create a key"),
            ("Token name (e.g. CRM sync)", "Create a token"),
        ):
            page.get_by_label(name_label).fill(f"Copy {create}")
            page.get_by_role("button", name=create).click()
            shown = page.locator("input.font-mono, .font-mono input").last
            shown.wait_for()
            secret = shown.input_value()
            assert len(secret) > 20
            page.locator("[data-copy]").last.click()
            page.get_by_text("Copied to the clipboard.").last.wait_for()
            assert page.evaluate("navigator.clipboard.readText()") == secret
            copied.append(secret)
    [key], [token] = api_key_service.list_all(ctx), api_key_service.list_tokens(ctx)
    assert copied[0].startswith(key.prefix) and copied[1].startswith(token.prefix)
    assert errors == []
