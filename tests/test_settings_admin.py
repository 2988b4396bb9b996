"""Admin sections of the settings page: API keys and encrypted provider credentials; both are audited."""

from __future__ import annotations

from nicegui.testing import User

from app.access import audit, secrets
from app.core.context import current
from app.delivery import provider_config
from app.delivery.dispatch import Dispatcher
from storage import api_keys
from tests.auth_helpers import login


async def test_admin_creates_an_api_key_shown_once_then_listed_by_prefix(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    user.find(marker="apikey-name").type("iOS app")
    user.find(marker="apikey-create").click()
    await user.should_see(marker="apikey-raw")
    raw = user.find(marker="apikey-raw").elements.pop().value
    with current().db.session() as session:
        [key] = api_keys.list_keys(session)
        assert api_keys.find_active_key(session, raw=raw) == key
    assert raw.startswith(key.prefix) and len(raw) > len(key.prefix) + 20
    [entry] = audit.entries(current(), action="apikey.create")
    assert (entry.actor, entry.target, entry.details["name"]) == ("owner@example.com", key.prefix, "iOS app")
    assert raw not in str(entry.details)
    await user.open("/settings")  # listed again: prefix and name, never the key
    await user.should_see(f"{key.prefix}…")
    await user.should_see("iOS app")
    await user.should_not_see(marker="apikey-raw")
    user.find(marker=f"apikey-revoke-{key.id}").click()
    await user.should_see("Key revoked.")
    with current().db.session() as session:
        assert api_keys.find_active_key(session, raw=raw) is None
    assert [e.target for e in audit.entries(current(), action="apikey.revoke")] == [str(key.id)]


async def test_an_api_key_without_a_name_is_refused(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="apikey-create").click()
    await user.should_see("Give the key a name.")
    assert api_key_count() == 0


def api_key_count() -> int:
    with current().db.session() as session:
        return len(api_keys.list_keys(session))


async def test_provider_secrets_are_stored_encrypted_and_shown_masked(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    user.find(marker="provider-onesignal_app_id").type("app-123")
    user.find(marker="provider-onesignal_api_key").type("os_v2_secret_key_abcd1234")
    user.find(marker="provider-smtp_host").type("mail.example.com")
    user.find(marker="provider-smtp_port").clear().type("2525")
    user.find(marker="save-providers").click()
    await user.should_see("Providers saved (4 values changed).")
    ctx = current()
    assert secrets.reveal(ctx, "onesignal_api_key") == "os_v2_secret_key_abcd1234"
    assert secrets.masked(ctx, "onesignal_api_key") == "••••1234"
    await user.open("/settings")
    await user.should_see("saved: ••••1234")
    await user.should_not_see("os_v2_secret_key_abcd1234")
    assert user.find(marker="provider-onesignal_api_key").elements.pop().value == ""
    assert user.find(marker="provider-onesignal_app_id").elements.pop().value == "app-123"
    assert {e.target for e in audit.entries(ctx, action="secret.save")} == {
        "onesignal_app_id",
        "onesignal_api_key",
        "smtp_host",
        "smtp_port",
    }
    effective = provider_config.effective_settings(ctx)
    assert (effective.onesignal_api_key.get_secret_value(), effective.smtp_host, effective.smtp_port) == (
        "os_v2_secret_key_abcd1234",
        "mail.example.com",
        2525,
    )
    assert set(Dispatcher(ctx).providers) == {"webhook", "onesignal", "smtp"}


async def test_a_bad_smtp_port_is_refused_with_the_field_named(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="provider-smtp_port").clear().type("99999")
    user.find(marker="save-providers").click()
    await user.should_see("smtp_port: a port number between 1 and 65535 is required")
    assert secrets.reveal(current(), "smtp_port") is None


def test_providers_fall_back_to_the_environment_until_a_value_is_saved(ctx, monkeypatch) -> None:  # noqa: ANN001
    from app.core.settings import Settings

    ctx.settings = Settings(smtp_host="env-smtp.example.com", onesignal_app_id="env-app")
    assert provider_config.effective_settings(ctx).smtp_host == "env-smtp.example.com"
    secrets.save(ctx, "smtp_host", "stored-smtp.example.com", actor="test")
    effective = provider_config.effective_settings(ctx)
    assert (effective.smtp_host, effective.onesignal_app_id) == ("stored-smtp.example.com", "env-app")
