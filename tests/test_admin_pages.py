"""The admin pages: accounts (/admin/users) and the audit log (/admin/audit)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui import ui
from nicegui.testing import User

from app.access import audit, auth
from app.core.context import current
from tests.auth_helpers import create_account, login


async def test_admin_adds_a_user_who_can_then_sign_in(user: User) -> None:
    await login(user, "admin")
    await user.open("/admin/users")
    user.find(marker="new-email").type("new.marketer@example.com")
    user.find(marker="new-name").type("Nouvelle")
    user.find(marker="new-password").type("a long enough password")
    user.find(marker="create-user").click()
    await user.should_see("new.marketer@example.com", retries=50)
    principal = auth.login(current(), email="new.marketer@example.com", password="a long enough password")
    assert principal.role == "marketer"
    assert [e.target for e in audit.entries(current(), action="user.create")][0] == "new.marketer@example.com"


async def _add_account(user: User, email: str, password: str) -> None:
    await user.open("/admin/users")
    user.find(marker="new-email").type(email)
    user.find(marker="new-password").type(password)
    user.find(marker="create-user").click()


async def test_a_short_initial_password_is_refused_with_a_message(user: User) -> None:
    await login(user, "admin")
    await _add_account(user, "x@example.com", "short")
    await user.should_see("Enter a password of at least 10 characters")
    [password] = user.find(marker="new-password").elements
    assert password.error == "Enter a password of at least 10 characters"  # on the field, not a notification
    assert not any("password" in message for message in user.notify.messages)
    assert auth.get_user_by_email(current(), "x@example.com") is None


async def test_a_taken_email_is_said_on_the_email_field_and_a_short_new_password_on_its_field(user: User) -> None:
    create_account(current(), "viewer", "bob@example.com")
    await login(user, "admin")
    await _add_account(user, "bob@example.com", "a long enough password")
    await user.should_see("An account already uses bob@example.com: pick another address")
    assert user.find(marker="new-email").elements.pop().error.startswith("An account already uses")
    assert user.find(marker="new-password").elements.pop().error is None
    user.find(marker="password-bob@example.com").click()
    user.find(marker="set-password-bob@example.com").type("short")
    user.find(marker="set-password-save-bob@example.com").click()
    await user.should_see("Enter a password of at least 10 characters")
    user.find(marker="set-password-bob@example.com").clear().type("another long password")
    user.find(marker="set-password-save-bob@example.com").click()
    await user.should_see("Password changed.")
    assert user.find(marker="set-password-bob@example.com").elements.pop().error is None
    assert auth.login(current(), email="bob@example.com", password="another long password").email == "bob@example.com"
    assert [e.target for e in audit.entries(current(), action="user.password")] == ["bob@example.com"]


async def test_admin_changes_a_role_and_deactivates_an_account(user: User) -> None:
    create_account(current(), "viewer", "bob@example.com")
    await login(user, "admin")
    await user.open("/admin/users")
    user.find(marker="role-bob@example.com").elements.pop().set_value("marketer")
    await user.should_see("Role changed.")
    assert auth.get_user_by_email(current(), "bob@example.com").role == "marketer"
    user.find(marker="deactivate-bob@example.com").click()
    await user.should_see(marker="activate-bob@example.com")
    assert auth.get_user_by_email(current(), "bob@example.com").active is False
    changes = [(e.action, e.actor) for e in audit.entries(current(), actor="admin@example.com")]
    assert ("user.role", "admin@example.com") in changes and ("user.deactivate", "admin@example.com") in changes


async def test_admin_cannot_deactivate_themselves(user: User) -> None:
    await login(user, "admin")
    await user.open("/admin/users")
    user.find(marker="deactivate-admin@example.com").click()
    await user.should_see("You cannot deactivate your own account: ask another administrator")
    assert auth.get_user_by_email(current(), "admin@example.com").active


async def test_a_demoted_admin_can_no_longer_act_from_an_open_page(user: User) -> None:
    create_account(current(), "admin", "other@example.com")
    create_account(current(), "viewer", "bob@example.com")
    await login(user, "admin")
    await user.open("/admin/users")
    auth.change_role(current(), email="admin@example.com", role="viewer", actor="other@example.com")
    user.find(marker="deactivate-bob@example.com").click()  # the page was built while still admin
    await user.should_see("Your role no longer allows this (it needs Administrator). Nothing was changed.")
    assert auth.get_user_by_email(current(), "bob@example.com").active


async def test_audit_log_filters_by_actor_action_and_dates(user: User) -> None:
    ctx = current()
    await login(user, "admin")
    audit.record(ctx, "alice@example.com", "journey.publish", "journey 7", {"version": 3})
    audit.record(ctx, "bob@example.com", "journey.pause", "journey 7")
    await user.open("/admin/audit")
    table = user.find(marker="audit-table").elements.pop()
    assert {"journey.publish", "journey.pause", "login.success"} <= {row["action"] for row in table.rows}
    user.find(marker="filter-actor").type("alice")
    user.find(marker="filter-apply").click()
    assert [(r["actor"], r["action"], r["details"]) for r in table.rows] == [
        ("alice@example.com", "journey.publish", '{"version": 3}')
    ]
    user.find(marker="filter-actor").clear()
    user.find(marker="filter-action").elements.pop().set_value("journey.pause")
    user.find(marker="filter-apply").click()
    assert [r["actor"] for r in table.rows] == ["bob@example.com"]
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    user.find(marker="filter-since").type(tomorrow)
    user.find(marker="filter-apply").click()
    assert table.rows == []


async def test_audit_page_offers_no_way_to_change_entries(user: User) -> None:
    await login(user, "admin")
    await user.open("/admin/audit")
    editable = [e for e in user.find(kind=ui.button).elements if e.props.get("label") != "Filter"]
    assert editable == []


def test_audit_filters_on_dates_use_the_injected_clock(ctx, clock) -> None:
    audit.record(ctx, "a@example.com", "settings.change", "delivery_policy")
    clock.advance(timedelta(days=2))
    audit.record(ctx, "a@example.com", "settings.change", "delivery_policy")
    since = clock.now() - timedelta(days=1)
    assert len(audit.entries(ctx, since=since)) == 1
    assert len(audit.entries(ctx, until=since)) == 1
    assert [e.at for e in audit.entries(ctx)] == [clock.now(), clock.now() - timedelta(days=2)]


def test_audit_store_has_no_update_or_delete_path() -> None:
    import storage.trust as store

    names = [n for n in dir(store) if "audit" in n.lower()]
    assert names and not [n for n in names if re_any(n, ("update", "delete", "remove", "purge", "edit"))]


def re_any(name: str, words: tuple[str, ...]) -> bool:
    return any(word in name.lower() for word in words)


def test_audit_details_are_bounded(ctx) -> None:
    audit.record(ctx, "a@example.com", "import", "contacts.csv", {"note": "x" * 10_000, "rows": 3})
    entry = audit.entries(ctx)[0]
    assert len(entry.details["note"]) == audit.MAX_DETAIL_CHARS and entry.details["rows"] == 3
