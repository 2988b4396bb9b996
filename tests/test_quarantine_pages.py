"""The quarantine in the UI: a count on the dashboard for everyone, the admin page with Retry and Discard."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from app.access import audit, auth
from app.core.context import current
from app.engine import quarantine
from tests.auth_helpers import create_account, login
from tests.engine_support import add_contacts, outbox, run
from tests.quarantine_support import dispatch, raw_event, raw_outbox, sql


def _poison() -> tuple[int, int]:
    """One unreadable event and one message whose payload is not an object, both parked by a pass."""
    ctx = current()
    ids = add_contacts(ctx, 2)
    event = raw_event(ctx, ids[0], "signed_up", '{"a": tru')
    message = raw_outbox(ctx, "m-list", ids[1], "push", "[1]")
    run(ctx)
    dispatch(ctx)
    return event, message


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
async def test_viewer_sees_the_quarantine_count_on_the_dashboard_but_not_the_page(user: User) -> None:
    _poison()
    await login(user, "viewer")
    await user.open("/dashboard")
    await user.should_see("2 rows in quarantine")
    await user.should_not_see(marker="quarantine-review")
    await user.open("/admin/quarantine")
    await user.should_not_see(marker="quarantine-list")


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
async def test_admin_discards_a_message_and_retries_a_repaired_event_both_audited(user: User) -> None:
    event, message = _poison()
    await login(user, "admin")
    await user.open("/admin/quarantine")
    await user.should_see("JSONDecodeError: Expecting value")
    await user.should_see("ValueError: payload is a JSON list, not an object")
    user.find(marker=f"discard-outbox-{message}").click()
    await user.should_see("Discarded.")
    await user.should_not_see(marker=f"quarantine-outbox-{message}")
    assert [m.status for m in outbox(current())] == ["failed"]
    user.find(marker=f"retry-event-{event}").click()
    await user.should_see("Still failing; it stays in quarantine with the new reason.")
    sql(current(), "UPDATE event SET properties = '{}' WHERE id = ?", event)
    user.find(marker=f"retry-event-{event}").click()
    await user.should_see("Put back.")
    await user.should_see(marker="quarantine-empty")
    actions = [e.action for e in audit.entries(current(), actor="admin@example.com")]
    assert actions.count("quarantine.retry") == 2 and actions.count("quarantine.discard") == 1


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
async def test_a_demoted_admin_cannot_retry_from_an_open_page(user: User) -> None:
    _event, message = _poison()
    create_account(current(), "admin", "other@example.com")
    await login(user, "admin")
    await user.open("/admin/quarantine")
    auth.change_role(current(), email="admin@example.com", role="viewer", actor="other@example.com")
    user.find(marker=f"retry-outbox-{message}").click()
    await user.should_see("Your role no longer allows this")
    assert len(quarantine.entries(current())) == 2
    assert [m.status for m in outbox(current())] == ["quarantined"]
