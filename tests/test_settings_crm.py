"""Settings → CRM: the HubSpot token saved encrypted and shown masked, mapping and outcomes saved, "Sync now"
against the HubSpot stub with the last run (or its error) shown, and the section kept from non-admins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from nicegui.testing import User

from app.access import auth
from app.core.context import current
from app.integrations.crm import config
from app.integrations.crm.config import CrmSettings
from tests.auth_helpers import create_account, login
from tests.hubspot_stub import HubSpotStub, running

TOKEN = "pat-na1-0123456789abcdef"


@pytest.fixture
def stub() -> Iterator[HubSpotStub]:
    with running(120, token=TOKEN) as server:
        yield server


async def test_admin_saves_the_token_masked_the_mapping_and_outcomes(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    await user.should_see(marker="crm-section")
    await user.should_see("Never synced yet.")
    user.find(marker="crm-hubspot-access_token").type(TOKEN)
    user.find(marker="crm-hubspot-add").click()
    mapping = user.find(marker="crm-hubspot-mapping").elements.pop()
    source, target = [e for e in mapping.descendants() if hasattr(e, "value")][:2]
    source.value, target.value = "firstname", "first_name"
    user.find(marker="crm-hubspot-outcome-converted").click()
    user.find(marker="crm-hubspot-enabled").click()
    user.find(marker="crm-hubspot-save").click()
    await user.should_see("CRM settings saved.")
    await user.should_see(f"saved: ••••{TOKEN[-4:]}")
    ctx = current()
    chosen = config.load(ctx, "hubspot")
    assert (chosen.enabled, chosen.mapping, chosen.outcomes) == (True, {"firstname": "first_name"}, ["converted"])
    assert config.credentials(ctx, "hubspot") == {"access_token": TOKEN}


async def test_a_bad_mapping_is_refused_naming_the_field(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="crm-hubspot-add").click()
    mapping = user.find(marker="crm-hubspot-mapping").elements.pop()
    source = next(e for e in mapping.descendants() if hasattr(e, "value"))
    source.value = "first name; drop"
    user.find(marker="crm-hubspot-save").click()
    await user.should_see("Not saved: mapping: not a CRM property name: 'first name; drop'")
    assert config.load(current(), "hubspot").mapping == {}


async def test_sync_now_imports_and_shows_the_last_run(user: User, stub: HubSpotStub) -> None:
    await login(user, "admin")
    ctx = current()
    config.save_credential(ctx, "hubspot", "access_token", TOKEN, actor="test")
    config.save(ctx, "hubspot", CrmSettings(enabled=True, host=stub.url), actor="test")
    await user.open("/settings")
    user.find(marker="crm-hubspot-sync").click()
    await user.should_see("Sync finished: 120 contacts imported.")
    await user.should_see("120 contacts imported, outcomes written for 0.")


async def test_bad_credentials_show_a_clear_error_on_the_settings_page(user: User, stub: HubSpotStub) -> None:
    await login(user, "admin")
    ctx = current()
    config.save_credential(ctx, "hubspot", "access_token", "pat-revoked", actor="test")
    config.save(ctx, "hubspot", CrmSettings(enabled=True, host=stub.url), actor="test")
    await user.open("/settings")
    user.find(marker="crm-hubspot-sync").click()
    await user.should_see("Stopped: hubspot: access refused (401) while reading contacts: check the private app token")
    await user.open("/settings")  # kept for the next visit
    await user.should_see("access refused (401)")


async def test_only_admins_reach_the_crm_settings(user: User) -> None:
    await login(user, "marketer")
    await user.open("/settings")
    await user.should_not_see(marker="crm-section")


async def test_an_admin_demoted_with_the_page_open_can_neither_save_nor_sync(user: User, stub: HubSpotStub) -> None:
    create_account(current(), "admin", "other@example.com")
    await login(user, "admin")
    ctx = current()
    config.save_credential(ctx, "hubspot", "access_token", TOKEN, actor="test")
    config.save(ctx, "hubspot", CrmSettings(host=stub.url), actor="test")
    await user.open("/settings")
    auth.change_role(ctx, email="admin@example.com", role="marketer", actor="other@example.com")
    user.find(marker="crm-hubspot-access_token").type("pat-stolen")
    user.find(marker="crm-hubspot-save").click()
    await user.should_see("Your role no longer allows this (it needs Administrator). Nothing was changed.")
    user.find(marker="crm-hubspot-sync").click()
    assert config.credentials(ctx, "hubspot") == {"access_token": TOKEN}
    assert stub.searches == 0 and config.state(ctx, "hubspot") == {}
