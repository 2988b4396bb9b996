"""The settings page saves the delivery policy and refuses bad values without writing anything."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.access import audit
from app.core.context import current
from app.delivery.workspace import load_policy
from app.demo import live as demo_live
from app.demo import workspace as demo
from tests.auth_helpers import login


async def test_saving_quiet_hours_cap_and_zone_stores_the_policy(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="quiet-start").clear().type("22:30")
    user.find(marker="quiet-end").clear().type("07:15")
    user.find(marker="cap-max-sms").elements.pop().value = 2
    user.find(marker="cap-per-sms").elements.pop().value = 1
    user.find(marker="time-zone").elements.pop().value = "Europe/Paris"
    user.find(marker="save-policy").click()
    await user.should_see("Delivery policy saved")
    policy = load_policy(current())
    assert (policy.quiet_hours.start, policy.quiet_hours.end) == ("22:30", "07:15")
    assert [(c.channel, c.max_messages, c.per.amount, c.per.unit) for c in policy.frequency_caps] == [
        ("sms", 2, 1, "days")
    ]
    assert policy.default_time_zone == "Europe/Paris"
    await user.open("/settings")
    assert user.find(marker="quiet-start").elements.pop().value == "22:30"


async def test_bad_quiet_hour_is_rejected_with_the_field_named(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="quiet-start").clear().type("25:99")
    user.find(marker="save-policy").click()
    await user.should_see("Not saved: Start (HH:MM) must be a time such as 21:00")
    assert load_policy(current()).quiet_hours.start == "21:00"


async def test_zero_rate_limit_is_rejected(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="rate-smtp").elements.pop().value = 0
    user.find(marker="save-policy").click()
    await user.should_see("smtp must be a whole number of at least 1")
    assert load_policy(current()).rate_limits["smtp"] == 20


async def test_providers_and_api_keys_sections_offer_their_forms(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    await user.should_see(marker="providers-section")
    await user.should_see(marker="api-keys-section")
    await user.should_see(marker="provider-onesignal_api_key")
    await user.should_see(marker="apikey-create")
    await user.should_see("No API keys yet.")


async def test_help_page_shows_the_user_guide(user: User) -> None:
    await login(user, "admin")
    await user.open("/help")
    await user.should_see("Documentation")
    await user.should_see(marker="technical-link")


async def test_admin_switches_sms_to_legitimate_interest_and_the_change_is_audited(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    await user.should_see("Recorded opt-in")
    await user.should_see(marker="consent-push-push_token-help")
    user.find(marker="consent-sms").elements.pop().value = "legitimate_interest"
    user.find(marker="consent-save").click()
    await user.should_see("Consent policy saved.")
    ctx = current()
    assert load_policy(ctx).consent.sms == "legitimate_interest"
    assert load_policy(ctx).consent.email == "opt_in"
    [entry] = audit.entries(ctx, action="settings.consent")
    assert (entry.actor, entry.details) == ("admin@example.com", {"sms": "opt_in -> legitimate_interest"})
    await user.open("/settings")
    assert user.find(marker="consent-sms").elements.pop().value == "legitimate_interest"


async def test_consent_policy_is_explained_in_french(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="language-switcher").elements.pop().value = "fr"
    await user.should_see("Consentement enregistré")
    await user.should_see("Intérêt légitime")


async def test_help_page_links_to_the_consent_section(user: User) -> None:
    await login(user, "viewer")
    await user.open("/help")
    markdown = user.find(kind=ui.markdown).elements.pop()
    assert '<h2 id="consent">Consent</h2>' in markdown.props["innerHTML"]


async def test_the_simulated_demo_provider_is_listed_read_only_with_whether_the_demo_runs(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    await user.should_see("Simulated (demo)")
    await user.should_see("Inactive: the demo is not running")
    [block] = user.find(marker="provider-simulated").elements
    assert not [e for e in block.descendants() if isinstance(e, ui.input | ui.select | ui.button)]
    demo.load_demo(current(), contact_count=10)
    try:
        await user.open("/settings")
        await user.should_see("Active: the demo is running")
    finally:
        demo_live.stop(current())
    user.find(marker="language-switcher").elements.pop().value = "fr"
    await user.should_see("Simulé (démo)")
    await user.should_see("Inactif : la démo n'est pas lancée")
