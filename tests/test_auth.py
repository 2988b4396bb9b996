"""Accounts on a real SQLite file: argon2 hashes, roles, deactivation, and the persistent login throttle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from app.access import auth
from app.access.auth import AuthError, LoginRefused
from app.core import context
from journeys.clock import FrozenClock

PASSWORD = "correct horse battery staple"


def make(ctx, email: str = "ana@example.com", role: str = "marketer") -> str:
    auth.create_user(ctx, email=email, password=PASSWORD, role=role, actor="test")
    return email


def test_password_is_stored_as_an_argon2id_hash_only(ctx) -> None:
    make(ctx)
    with ctx.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM app_user")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_login_with_the_right_password_returns_the_role_and_records_the_time(ctx, clock) -> None:
    make(ctx, "Ana@Example.com", "viewer")
    principal = auth.login(ctx, email="ana@example.com", password=PASSWORD, ip="10.0.0.1")
    assert (principal.email, principal.role) == ("ana@example.com", "viewer")
    assert auth.get_user(ctx, principal.user_id).last_login_at == clock.now()


def test_wrong_password_and_unknown_email_get_the_same_refusal(ctx) -> None:
    make(ctx)
    with pytest.raises(LoginRefused, match="wrong email or password") as wrong:
        auth.login(ctx, email="ana@example.com", password="not the password")
    with pytest.raises(LoginRefused, match="wrong email or password") as unknown:
        auth.login(ctx, email="nobody@example.com", password=PASSWORD)
    assert wrong.value.retry_after is None and unknown.value.retry_after is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"role": "owner"}, "role"),
    ],
)
def test_bad_account_input_names_the_field(ctx, kwargs, field) -> None:
    values = {"email": "bob@example.com", "password": PASSWORD, "role": "viewer"} | kwargs
    with pytest.raises(AuthError, match=f"^{field}:"):
        auth.create_user(ctx, actor="test", **values)
    assert auth.list_users(ctx) == []


def test_an_email_cannot_have_two_accounts(ctx) -> None:
    make(ctx)
    with pytest.raises(AuthError, match="already exists"):
        make(ctx, "ANA@example.com")


def test_first_admin_can_be_created_once_only(ctx) -> None:
    auth.create_first_admin(ctx, email="root@example.com", password=PASSWORD)
    with pytest.raises(AuthError, match="already done"):
        auth.create_first_admin(ctx, email="intruder@example.com", password=PASSWORD)
    assert [u.email for u in auth.list_users(ctx)] == ["root@example.com"]
    assert auth.list_users(ctx)[0].role == "admin"


def test_deactivated_account_cannot_sign_in_and_its_sessions_end(ctx) -> None:
    make(ctx, "root@example.com", "admin")
    make(ctx)
    principal = auth.login(ctx, email="ana@example.com", password=PASSWORD)
    assert auth.principal_for(ctx, user_id=principal.user_id, session_version=principal.session_version)
    auth.set_active(ctx, email="ana@example.com", active=False, actor="root@example.com")
    assert auth.principal_for(ctx, user_id=principal.user_id, session_version=principal.session_version) is None
    with pytest.raises(LoginRefused):
        auth.login(ctx, email="ana@example.com", password=PASSWORD)


def test_password_change_ends_older_sessions(ctx) -> None:
    make(ctx)
    old = auth.login(ctx, email="ana@example.com", password=PASSWORD)
    auth.set_password(ctx, email="ana@example.com", password="another long password", actor="test")
    assert auth.principal_for(ctx, user_id=old.user_id, session_version=old.session_version) is None
    new = auth.login(ctx, email="ana@example.com", password="another long password")
    assert auth.principal_for(ctx, user_id=new.user_id, session_version=new.session_version) is not None


def test_role_change_applies_to_an_existing_session(ctx) -> None:
    make(ctx, "root@example.com", "admin")
    make(ctx, role="viewer")
    session = auth.login(ctx, email="ana@example.com", password=PASSWORD)
    auth.change_role(ctx, email="ana@example.com", role="marketer", actor="root@example.com")
    current = auth.principal_for(ctx, user_id=session.user_id, session_version=session.session_version)
    assert current is not None and current.role == "marketer"


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(ctx) -> None:
    make(ctx, "root@example.com", "admin")
    make(ctx, "other@example.com", "admin")
    auth.change_role(ctx, email="other@example.com", role="viewer", actor="root@example.com")
    with pytest.raises(AuthError, match="last active admin"):
        auth.change_role(ctx, email="root@example.com", role="marketer", actor="other@example.com")
    with pytest.raises(AuthError, match="own account"):
        auth.set_active(ctx, email="root@example.com", active=False, actor="root@example.com")
    with pytest.raises(AuthError, match="last active admin"):
        auth.set_active(ctx, email="root@example.com", active=False, actor="other@example.com")


def test_role_order_is_admin_over_marketer_over_viewer() -> None:
    assert auth.allows("admin", "marketer") and auth.allows("marketer", "viewer")
    assert not auth.allows("viewer", "marketer") and not auth.allows("marketer", "admin")
    assert not auth.allows("intruder", "viewer") and not auth.allows("admin", "superuser")


# --- brute force ------------------------------------------------------------------------------------------


def fail(ctx, times: int, email: str = "ana@example.com", ip: str | None = "10.0.0.9") -> None:
    for _ in range(times):
        with pytest.raises(LoginRefused):
            auth.login(ctx, email=email, password="guess", ip=ip)


def test_guessing_one_account_locks_it_with_growing_delays(ctx, clock: FrozenClock) -> None:
    make(ctx)
    fail(ctx, auth.ACCOUNT_FREE_FAILURES + 1)  # the 6th failure starts a 2 s lock
    with pytest.raises(LoginRefused, match="too many") as locked:
        auth.login(ctx, email="ana@example.com", password=PASSWORD, ip="10.0.0.9")
    assert locked.value.retry_after == timedelta(seconds=2)
    clock.advance(timedelta(seconds=2))
    fail(ctx, 1)  # a 7th failure: 4 s
    with pytest.raises(LoginRefused) as longer:
        auth.login(ctx, email="ana@example.com", password=PASSWORD)
    assert longer.value.retry_after == timedelta(seconds=4)
    clock.advance(timedelta(seconds=4))
    assert auth.login(ctx, email="ana@example.com", password=PASSWORD).email == "ana@example.com"


def test_even_the_right_password_is_refused_while_locked(ctx, clock: FrozenClock) -> None:
    make(ctx)
    fail(ctx, auth.ACCOUNT_FREE_FAILURES + 3)
    with pytest.raises(LoginRefused, match="too many"):
        auth.login(ctx, email="ana@example.com", password=PASSWORD)


def test_delays_double_then_stop_at_the_maximum() -> None:
    free = auth.ACCOUNT_FREE_FAILURES
    delays = [auth.lock_delay(n, free) for n in range(1, free + 40)]
    assert delays[:free] == [timedelta(0)] * free
    assert delays[free : free + 3] == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    assert delays == sorted(delays) and delays[-1] == auth.MAX_LOCK


def test_success_after_the_lock_resets_the_account_counter(ctx, clock: FrozenClock) -> None:
    make(ctx)
    fail(ctx, auth.ACCOUNT_FREE_FAILURES + 1)
    clock.advance(timedelta(seconds=2))
    auth.login(ctx, email="ana@example.com", password=PASSWORD)
    fail(ctx, auth.ACCOUNT_FREE_FAILURES)  # free again
    auth.login(ctx, email="ana@example.com", password=PASSWORD)


def test_failures_are_forgotten_after_a_quiet_hour(ctx, clock: FrozenClock) -> None:
    make(ctx)
    fail(ctx, auth.ACCOUNT_FREE_FAILURES)
    clock.advance(auth.FORGET_AFTER + timedelta(seconds=1))
    fail(ctx, auth.ACCOUNT_FREE_FAILURES)
    auth.login(ctx, email="ana@example.com", password=PASSWORD)


def test_one_address_guessing_many_accounts_is_slowed(ctx) -> None:
    make(ctx)
    for n in range(auth.IP_FREE_FAILURES + 1):
        fail(ctx, 1, email=f"user{n}@example.com", ip="203.0.113.7")
    with pytest.raises(LoginRefused, match="too many"):
        auth.login(ctx, email="ana@example.com", password=PASSWORD, ip="203.0.113.7")
    assert auth.login(ctx, email="ana@example.com", password=PASSWORD, ip="198.51.100.1")


def test_the_lock_survives_a_restart(settings, clock: FrozenClock) -> None:
    ctx = context.init(settings, clock)
    make(ctx)
    fail(ctx, auth.ACCOUNT_FREE_FAILURES + 4)
    context.close()
    restarted = context.init(settings, clock)
    with pytest.raises(LoginRefused, match="too many"):
        auth.login(restarted, email="ana@example.com", password=PASSWORD)
    context.close()


def test_sign_ins_and_failures_are_audited(ctx) -> None:
    from app.access import audit

    make(ctx)
    fail(ctx, 1)
    auth.login(ctx, email="ana@example.com", password=PASSWORD, ip="10.0.0.9")
    entries = audit.entries(ctx, actor="ana@example.com")
    assert [e.action for e in entries] == ["login.success", "login.failure"]
    assert entries[0].ip == "10.0.0.9"
    assert "guess" not in str([e.details for e in entries])


def test_idle_counters_of_guessed_emails_are_pruned(ctx, clock: FrozenClock) -> None:
    fail(ctx, 1, email="guess1@example.com", ip=None)
    clock.advance(auth.FORGET_AFTER + timedelta(minutes=1))
    fail(ctx, 1, email="guess2@example.com", ip=None)
    with ctx.db.engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM login_throttle")).scalars().all()
    assert keys == ["account:guess2@example.com"]
