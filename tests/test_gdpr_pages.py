"""The hosted preference page and the GDPR API routes, in NiceGUI's simulated client."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from app.access import audit
from app.audience import consent
from app.core.context import current
from app.engagement import preferences
from app.privacy import gdpr
from tests.auth_helpers import create_account, login
from tests.engine_support import add_contacts


async def test_preference_page_shows_channels_and_saves_changes_with_history(user: User) -> None:
    await user.open("/login")
    ctx = current()
    (cid,) = add_contacts(ctx, 1, locale="fr-FR")
    url = preferences.preference_url(ctx, cid, base_url="")
    await user.open(url)
    await user.should_see("Vos préférences de communication")
    switch = user.find(marker="prefs-sms").elements.pop()
    assert isinstance(switch, ui.switch) and switch.value is True
    switch.value = False
    user.find(marker="prefs-save").click()
    await user.should_see("Vos choix sont enregistrés.")
    assert consent.current(ctx, cid)["sms"] == "unsubscribed"
    assert consent.current(ctx, cid)["email"] == "subscribed"
    assert [(r["channel"], r["source"]) for r in consent.history(ctx, cid)] == [("sms", "preference_page")]


async def test_forged_or_expired_preference_links_get_a_clear_page_and_change_nothing(user: User) -> None:
    await user.open("/login")
    ctx = current()
    (cid,) = add_contacts(ctx, 1)
    token = preferences.preference_token(ctx, cid, valid_for=timedelta(seconds=-1))
    await user.open(f"/preferences/{token}")
    await user.should_see("This link is invalid or has expired. Nothing was changed.")
    await user.should_not_see(marker="prefs-save")
    good = preferences.preference_token(ctx, cid)
    await user.open(f"/preferences/{good[:-3]}abc")
    await user.should_see("This link is invalid or has expired.")
    assert consent.history(ctx, cid) == []


async def test_api_export_and_erase_need_a_marketer_and_404_unknown_contacts(user: User) -> None:
    await user.open("/login")
    ctx = current()
    create_account(ctx, "admin", "owner@example.com")
    (cid,) = add_contacts(ctx, 1, external_id="cust-42", email="someone.unique@example.org")
    client = user.http_client
    assert (await client.get("/api/v1/contacts/cust-42/export")).status_code == 401
    await login(user, "viewer")
    assert (await client.delete("/api/v1/contacts/cust-42")).status_code == 403
    await user.open("/logout")
    await login(user, "marketer")
    exported = await client.get("/api/v1/contacts/cust-42/export")
    assert exported.status_code == 200
    assert exported.json()["profile"]["email"] == "someone.unique@example.org"
    missing = await client.delete("/api/v1/contacts/nobody")
    assert missing.status_code == 404
    assert audit.entries(ctx, action="contact.erase") == []
    erased = await client.delete("/api/v1/contacts/cust-42")
    assert erased.json()["erased"] is True
    assert gdpr.find_contact(ctx, "cust-42") is None
    assert (await client.get("/api/v1/contacts/cust-42/export")).status_code == 404
    assert [e.actor for e in audit.entries(ctx, action="contact.erase")] == ["marketer@example.com"]
    assert consent.current(ctx, cid) == {}


async def test_privacy_page_exports_and_erases_after_confirmation(user: User) -> None:
    await user.open("/login")
    ctx = current()
    create_account(ctx, "admin", "owner@example.com")
    (cid,) = add_contacts(ctx, 1, email="erase.me@example.org")
    consent.set_consent(ctx, cid, "email", "unsubscribed", "ui", "owner@example.com")
    await login(user, "marketer")
    download = await user.http_client.get(f"/contacts/{cid}/export")
    assert download.json()["profile"]["email"] == "erase.me@example.org"
    assert "attachment" in download.headers["content-disposition"]
    assert (await user.http_client.get(f"/contacts/{cid + 9}/export")).status_code == 404
    await user.open(f"/contacts/{cid}/privacy")
    await user.should_see("email → unsubscribed · ui")
    user.find(marker="gdpr-erase").click()
    await user.should_see("Erase this contact for good?")
    user.find(marker="gdpr-erase-confirm").click()
    await user.should_see("The contact was erased.")
    assert gdpr.find_contact(ctx, f"user-{cid}") is None


async def test_viewers_cannot_download_a_contact_export(user: User) -> None:
    await user.open("/login")
    ctx = current()
    create_account(ctx, "admin", "owner@example.com")
    (cid,) = add_contacts(ctx, 1)
    await login(user, "viewer")
    refused = await user.http_client.get(f"/contacts/{cid}/export")
    assert (refused.status_code, refused.headers["location"].split("?")[0]) == (303, "/denied")
    assert audit.entries(ctx, action="contact.export") == []


async def test_marketer_changes_consent_on_the_privacy_page_with_source_ui(user: User) -> None:
    await user.open("/login")
    ctx = current()
    create_account(ctx, "admin", "owner@example.com")
    (cid,) = add_contacts(ctx, 1)
    await login(user, "marketer")
    await user.open(f"/contacts/{cid}/privacy")
    switch = user.find(marker="consent-switch-push").elements.pop()
    switch.value = False
    user.find(marker="consent-save").click()
    await user.should_see("push → unsubscribed · ui · marketer@example.com")
    assert consent.current(ctx, cid)["push"] == "unsubscribed"
