"""Provider keys are encrypted at rest, shown only masked, and never logged."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from app.access import audit
from app.access import secrets as vault
from app.core import context
from app.core.settings import Settings
from tests.stored_bytes import stored_bytes

KEY = "os_v2_app_live_SUPERSECRETKEY_1234567890abcdef"


def raw_database_bytes(ctx) -> bytes:
    """Everything the database holds, as an attacker who copies it would read it."""
    return stored_bytes(ctx, vacuum=False)


def test_saved_key_reads_back_but_the_database_never_holds_it(ctx) -> None:
    shown = vault.save(ctx, "onesignal.api_key", KEY, actor="admin@example.com")
    assert vault.reveal(ctx, "onesignal.api_key") == KEY
    data = raw_database_bytes(ctx)
    assert KEY.encode() not in data
    assert b"SUPERSECRETKEY" not in data
    assert shown == "••••cdef" == vault.masked(ctx, "onesignal.api_key")


def test_saving_again_replaces_the_old_ciphertext(ctx) -> None:
    vault.save(ctx, "smtp.password", "first-password-value", actor="a")
    vault.save(ctx, "smtp.password", "second-password-value", actor="a")
    assert vault.reveal(ctx, "smtp.password") == "second-password-value"
    with ctx.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stored_secret")).scalar_one() == 1


def test_short_values_show_no_characters_at_all() -> None:
    assert vault.mask("hunter2") == "••••"
    assert vault.mask("0123456789abcdefXYZW") == "••••XYZW"


def test_the_audit_log_records_the_change_but_not_the_value(ctx) -> None:
    vault.save(ctx, "onesignal.api_key", KEY, actor="admin@example.com")
    entry = audit.entries(ctx, action="secret.save")[0]
    assert (entry.actor, entry.target) == ("admin@example.com", "onesignal.api_key")
    assert "SUPERSECRETKEY" not in str(entry.details)


def test_nothing_is_logged_with_the_value(ctx, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    vault.save(ctx, "onesignal.api_key", KEY, actor="a")
    vault.reveal(ctx, "onesignal.api_key")
    assert "SUPERSECRETKEY" not in caplog.text


def test_a_dedicated_encryption_key_takes_precedence_and_a_changed_key_is_a_clear_error(settings, clock) -> None:
    ctx = context.init(settings.model_copy(update={"encryption_key": "k1-" + "x" * 40}), clock)
    vault.save(ctx, "smtp.password", "correct-password", actor="a")
    with ctx.db.engine.connect() as conn:
        ciphertext = conn.execute(text("SELECT ciphertext FROM stored_secret")).scalar_one()
    assert vault.decrypt(ctx.settings, ciphertext) == "correct-password"
    with pytest.raises(vault.SecretError, match="encryption key changed"):
        vault.decrypt(settings, ciphertext)  # the session secret alone cannot read it
    context.close()


def test_empty_and_oversized_values_are_refused(ctx) -> None:
    with pytest.raises(vault.SecretError, match="empty"):
        vault.save(ctx, "k", "   ", actor="a")
    with pytest.raises(vault.SecretError, match="longer than"):
        vault.save(ctx, "k", "x" * (vault.MAX_SECRET_CHARS + 1), actor="a")
    assert vault.masked(ctx, "k") is None


def test_settings_never_print_the_secrets() -> None:
    shown = repr(Settings(secret="session-secret-value", encryption_key="encryption-key-value"))
    assert "session-secret-value" not in shown and "encryption-key-value" not in shown


def test_removing_a_secret_is_audited(ctx) -> None:
    vault.save(ctx, "k", "some-value-1234", actor="a")
    assert vault.remove(ctx, "k", actor="a") is True
    assert vault.reveal(ctx, "k") is None
    assert [e.action for e in audit.entries(ctx)] == ["secret.remove", "secret.save"]
