"""Secrets per purpose: webhook, link, session and encryption keys are separate; webhook keys rotate; provider
idempotency keys carry the install id."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nicegui.testing import User

from app.access import keys, signing
from app.access import secrets as vault
from app.core import context
from app.core.context import current
from app.core.install import install_id
from app.core.settings import Settings
from app.delivery import tracking_links, webhook_keys
from app.delivery.dispatch import Dispatcher
from app.delivery.providers import Outgoing
from app.delivery.providers.onesignal import OneSignalProvider
from app.delivery.providers.smtp import message_id
from app.delivery.providers.webhook import idempotency_key as webhook_idempotency_key
from app.engagement import preferences
from tests import test_dispatch
from tests.auth_helpers import login
from tests.engine_support import add_contacts, journey, publish, run, track
from tests.stub_servers import RecordingServer

receiver = test_dispatch.receiver  # the loopback webhook receiver, allow-listed through settings


def one_webhook(ctx, receiver: RecordingServer) -> dict:
    """Send one webhook through the real dispatcher; the request the receiver got."""
    doc = journey(
        [("entry", "entry.event", {"event": "go"}), ("hook", "webhook", {"url": receiver.url}), ("done", "exit", {})],
        [("entry", "next", "hook"), ("hook", "next", "done")],
    )
    if not receiver.requests:
        publish(ctx, doc)
    track(ctx, add_contacts(ctx, 1), "go")
    run(ctx)
    dispatcher = Dispatcher(ctx)
    try:
        dispatcher.run()
    finally:
        dispatcher.close()
    return receiver.requests[-1]


def verifies(secret: str, request: dict) -> bool:
    signed = request["headers"]["X-Parcours-Timestamp"].encode() + b"." + request["raw"]
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return expected in request["headers"]["X-Parcours-Signature"].split(",")


def test_the_key_that_verifies_our_webhooks_cannot_forge_a_preference_link(ctx, receiver) -> None:
    request = one_webhook(ctx, receiver)
    known_to_receiver = webhook_keys.signing_keys(ctx).current
    assert verifies(known_to_receiver, request)
    assert not verifies(ctx.settings.resolved_secret(), request)  # the master secret no longer signs webhooks
    [contact_id] = add_contacts(ctx, 1)
    forged = signing.sign(known_to_receiver, preferences.PURPOSE, {"c": contact_id, "exp": 2_000_000_000})
    assert preferences.contact_for(ctx, forged) is None
    genuine = preferences.preference_token(ctx, contact_id)
    assert preferences.contact_for(ctx, genuine)["id"] == contact_id


def test_each_purpose_has_its_own_key_and_none_is_the_master_secret(settings: Settings) -> None:
    derived = {label: keys.derived_text(settings, label) for label in ("session", "links", "webhook-signing")}
    assert len(set(derived.values())) == 3
    assert settings.resolved_secret() not in derived.values()
    assert keys.session_secret(settings) == derived["session"]


def test_provider_keys_stored_before_the_change_still_decrypt(ctx) -> None:
    old_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"parcours/secrets", info=b"parcours stored secrets v1"
    ).derive(ctx.settings.resolved_secret().encode())
    ciphertext = Fernet(base64.urlsafe_b64encode(old_key)).encrypt(b"os_v2_old_key_1234567890")
    assert vault.decrypt(ctx.settings, ciphertext) == "os_v2_old_key_1234567890"


def test_rotation_signs_with_both_secrets_for_the_grace_period_then_only_the_new(ctx, receiver) -> None:
    before = webhook_keys.signing_keys(ctx).current
    new = webhook_keys.rotate(ctx, actor="admin@example.com")
    request = one_webhook(ctx, receiver)
    assert request["headers"]["X-Parcours-Signature"].count("sha256=") == 2
    assert verifies(new, request) and verifies(before, request)
    ctx.clock.advance(webhook_keys.GRACE + timedelta(minutes=1))
    later = one_webhook(ctx, receiver)
    assert verifies(new, later) and not verifies(before, later)
    assert "," not in later["headers"]["X-Parcours-Signature"]


def test_the_environment_secret_overrides_and_cannot_be_rotated_from_settings(ctx) -> None:
    ctx.settings.webhook_secret = type(ctx.settings.webhook_secret)("from-the-environment-0123")
    assert webhook_keys.signing_keys(ctx).all() == ["from-the-environment-0123"]
    with pytest.raises(webhook_keys.SigningKeyError, match="PARCOURS_WEBHOOK_SECRET"):
        webhook_keys.rotate(ctx, actor="admin@example.com")


def test_a_short_chosen_secret_is_refused(ctx) -> None:
    with pytest.raises(webhook_keys.SigningKeyError, match="16 characters"):
        webhook_keys.set_secret(ctx, "short", actor="admin@example.com")


def onesignal_key(settings: Settings, clock, batch_key: str) -> str:
    """The idempotency key OneSignal would get for ``batch_key`` from a process started on this database."""
    ctx = context.init(settings, clock)
    try:
        provider = OneSignalProvider(settings, install_id=install_id(ctx))
        item = Outgoing(1, batch_key, "push", 1, 1, {"body": "Hi", "external_id": "user-1"}, batch_key)
        return provider.notification([item]).idempotency_key
    finally:
        context.close()


def test_two_databases_never_send_the_same_idempotency_key_but_one_database_always_does(
    settings: Settings, clock, tmp_path: Path
) -> None:
    settings.onesignal_app_id = "app-123"
    staging = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'staging.db'}"})
    first = onesignal_key(settings, clock, "1-1-1-msg")
    assert onesignal_key(settings, clock, "1-1-1-msg") == first  # a restart: retries stay idempotent
    assert onesignal_key(staging, clock, "1-1-1-msg") != first
    assert message_id("1-1-1-msg", "a" * 32) != message_id("1-1-1-msg", "b" * 32)


def test_webhook_idempotency_key_names_the_install_and_the_message(ctx, receiver) -> None:
    headers = one_webhook(ctx, receiver)["headers"]
    expected = webhook_idempotency_key(install_id(ctx), headers["X-Parcours-Message-Id"])
    assert headers["Idempotency-Key"] == expected
    assert webhook_idempotency_key("another-install", headers["X-Parcours-Message-Id"]) != expected


async def test_admin_reveals_rotates_and_sets_the_webhook_secret(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    ctx = current()
    derived = webhook_keys.signing_keys(ctx).current
    assert user.find(marker="webhook-secret").elements.pop().value == vault.mask(derived)
    await user.should_see("Derived from the application secret")
    user.find(marker="webhook-secret-reveal").click()
    assert user.find(marker="webhook-secret").elements.pop().value == derived
    user.find(marker="webhook-secret-rotate").click()
    await user.should_see("New signing secret in use.")
    rotated = webhook_keys.signing_keys(ctx)
    assert rotated.current != derived and rotated.previous == derived and rotated.source == "settings"
    user.find(marker="webhook-secret-new").type("partner-chosen-secret-42")
    user.find(marker="webhook-secret-save").click()
    await user.should_see("New signing secret in use.")
    assert webhook_keys.signing_keys(ctx).current == "partner-chosen-secret-42"
    user.find(marker="webhook-allow").type("hooks.internal:8443")
    user.find(marker="webhook-allow-save").click()
    await user.should_see("Allowed hosts saved (1).")


def test_email_links_signed_with_the_old_key_keep_working_until_turned_off_but_preference_links_do_not(ctx) -> None:
    [contact_id] = add_contacts(ctx, 1)
    master = ctx.settings.resolved_secret()
    old_unsubscribe = signing.sign(master, tracking_links.UNSUBSCRIBE, {"m": "1-1-1-msg"})
    assert tracking_links.read(ctx.settings, tracking_links.UNSUBSCRIBE, old_unsubscribe) == {"m": "1-1-1-msg"}
    old_preferences = signing.sign(master, preferences.PURPOSE, {"c": contact_id, "exp": 2_000_000_000})
    assert preferences.contact_for(ctx, old_preferences) is None
    ctx.settings.legacy_link_tokens = False
    assert tracking_links.read(ctx.settings, tracking_links.UNSUBSCRIBE, old_unsubscribe) is None
    new_unsubscribe = tracking_links.token(ctx.settings, tracking_links.UNSUBSCRIBE, "1-1-1-msg")
    assert tracking_links.read(ctx.settings, tracking_links.UNSUBSCRIBE, new_unsubscribe) == {"m": "1-1-1-msg"}
