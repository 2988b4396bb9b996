"""One bad row never stops the engine or the dispatcher: it is parked in quarantine and everyone else moves on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.access import audit
from app.engine import quarantine
from app.engine.engine import Engine
from app.engine.entries import run_scheduled_entries
from tests.conftest import run_cli
from tests.engine_support import add_contacts, enrollments, outbox, publish, run, track
from tests.quarantine_support import WAIT_THEN_PUSH, dispatch, event_cursor, raw_event, raw_outbox, sql
from tests.test_engine import PUSH_JOURNEY
from tests.test_engine_api import CHECK_IN_JOURNEY


def parked(ctx) -> dict[tuple[str, int], quarantine.Entry]:
    return {(e.kind, e.row_id): e for e in quarantine.entries(ctx)}


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
def test_unreadable_event_properties_are_parked_and_the_cursor_moves_past_them(ctx) -> None:
    ids = add_contacts(ctx, 4)
    publish(ctx, PUSH_JOURNEY)
    track(ctx, ids[:1], "signed_up")
    garbled_event = raw_event(ctx, ids[1], "signed_up", '{"a": tru')
    unterminated_event = raw_event(ctx, ids[2], "signed_up", '{"a": "unterminated')
    track(ctx, ids[3:], "signed_up")
    run(ctx)
    assert [m.contact_id for m in outbox(ctx, channel="push")] == [ids[0], ids[3]]
    assert event_cursor(ctx) >= unterminated_event + 1
    found = parked(ctx)
    assert found[("event", garbled_event)].contact_id == ids[1]
    assert found[("event", garbled_event)].reason.startswith("JSONDecodeError")
    assert found[("event", unterminated_event)].reason.startswith("JSONDecodeError")
    dispatch(ctx)
    assert {m.status for m in outbox(ctx)} == {"sandbox"}
    run(ctx)  # the next pass does not trip over them again
    assert len(quarantine.entries(ctx)) == 2


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
def test_enrollments_that_cannot_run_are_parked_while_the_others_advance(ctx) -> None:
    ids = add_contacts(ctx, 6)
    journey_id = publish(ctx, WAIT_THEN_PUSH)
    track(ctx, ids, "signed_up")
    run(ctx)
    rows = {e.contact_id: e.id for e in enrollments(ctx, journey_id)}
    sql(ctx, "UPDATE enrollment SET context = '{\"event\": ' WHERE id = ?", rows[ids[0]])
    sql(ctx, "UPDATE enrollment SET node_id = 'ghost' WHERE id = ?", rows[ids[1]])
    sql(ctx, "UPDATE enrollment SET version_id = 9999 WHERE id = ?", rows[ids[2]])
    sql(ctx, "UPDATE contact SET attributes = '{\"first_name\": Inf' WHERE id = ?", ids[3])
    sql(ctx, "DELETE FROM event WHERE contact_id = ?", ids[4])
    sql(ctx, "DELETE FROM contact WHERE id = ?", ids[4])
    run(ctx, after=timedelta(hours=1, minutes=1))
    assert [m.contact_id for m in outbox(ctx, channel="push")] == [ids[5]]
    # Read with raw SQL: an ORM read of the whole row would trip over the unreadable context too.
    rows_now = sql(ctx, "SELECT contact_id, status FROM enrollment WHERE journey_id = ?", journey_id).fetchall()
    states = dict(rows_now)
    assert states == {
        ids[0]: "quarantined",
        ids[1]: "quarantined",
        ids[2]: "quarantined",
        ids[3]: "quarantined",
        ids[4]: "exited",  # a vanished contact leaves quietly, as before
        ids[5]: "done",
    }
    found = parked(ctx)
    assert found[("enrollment", rows[ids[1]])].reason == "KeyError: 'ghost'"
    assert found[("enrollment", rows[ids[1]])].journey_id == journey_id
    assert found[("enrollment", rows[ids[2]])].reason.startswith("NoResultFound")
    assert found[("enrollment", rows[ids[3]])].contact_id == ids[3]
    assert found[("enrollment", rows[ids[0]])].reason.startswith("JSONDecodeError")


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
def test_outbox_rows_that_cannot_be_sent_are_parked_and_the_others_leave(ctx) -> None:
    ids = add_contacts(ctx, 4)
    unreadable = raw_outbox(ctx, "m-garbled", ids[0], "push", '{"body": ')
    not_an_object = raw_outbox(ctx, "m-list", ids[1], "push", "[1, 2]")
    bad_expiry = raw_outbox(ctx, "m-inapp", ids[2], "in_app", '{"body": "hi", "expires_after_days": "soon"}')
    good = raw_outbox(ctx, "m-good", ids[3], "push", '{"body": "hi", "external_id": "user-4"}')
    dispatch(ctx)
    status = dict(sql(ctx, "SELECT id, status FROM outbox").fetchall())
    assert status == {
        unreadable: "quarantined",
        not_an_object: "quarantined",
        bad_expiry: "quarantined",
        good: "sandbox",
    }
    found = parked(ctx)
    assert found[("outbox", bad_expiry)].reason.startswith("ValueError: invalid literal for int()")
    assert found[("outbox", not_an_object)].contact_id == ids[1]


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
def test_retry_puts_rows_back_and_discard_gives_up_both_audited(ctx) -> None:
    ids = add_contacts(ctx, 3)
    journey_id = publish(ctx, WAIT_THEN_PUSH)
    track(ctx, ids[:1], "signed_up")
    bad_event = raw_event(ctx, ids[1], "signed_up", '{"a": tru')
    run(ctx)
    enrollment = enrollments(ctx, journey_id)[0].id
    sql(ctx, "UPDATE enrollment SET node_id = 'ghost' WHERE id = ?", enrollment)
    message = raw_outbox(ctx, "m-list", ids[2], "push", "[1]")
    run(ctx, after=timedelta(hours=2))
    dispatch(ctx)
    found = parked(ctx)
    assert set(found) == {("event", bad_event), ("enrollment", enrollment), ("outbox", message)}

    # Still broken: the event stays parked with its reason.
    assert quarantine.retry(ctx, found[("event", bad_event)].id, actor="admin@example.com") is False
    assert ("event", bad_event) in parked(ctx)
    # Repaired rows go back to work.
    sql(ctx, "UPDATE event SET properties = '{}' WHERE id = ?", bad_event)
    assert quarantine.retry(ctx, parked(ctx)[("event", bad_event)].id, actor="admin@example.com") is True
    sql(ctx, "UPDATE enrollment SET node_id = 'push' WHERE id = ?", enrollment)
    assert quarantine.retry(ctx, found[("enrollment", enrollment)].id, actor="admin@example.com") is True
    quarantine.discard(ctx, found[("outbox", message)].id, actor="admin@example.com")
    run(ctx, after=timedelta(hours=2))
    assert {e.contact_id: e.status for e in enrollments(ctx, journey_id)} == {ids[0]: "done", ids[1]: "done"}
    assert [m.contact_id for m in outbox(ctx, channel="push", status="pending")] == [ids[0], ids[1]]
    assert {m.id: m.status for m in outbox(ctx)}[message] == "failed"
    assert quarantine.entries(ctx) == []
    actions = [e.action for e in audit.entries(ctx, actor="admin@example.com")]
    assert actions.count("quarantine.retry") == 3 and actions.count("quarantine.discard") == 1


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
def test_cli_lists_retries_and_discards_quarantined_rows(ctx) -> None:
    ids = add_contacts(ctx, 2)
    bad_event = raw_event(ctx, ids[0], "signed_up", '{"a": tru')
    message = raw_outbox(ctx, "m-list", ids[1], "push", "[1]")
    run(ctx)
    dispatch(ctx)
    found = parked(ctx)
    listed = run_cli("quarantine", "list")
    assert listed.returncode == 0
    assert f"event\t{bad_event}\tjourney=-\tcontact={ids[0]}" in listed.stdout and "JSONDecodeError" in listed.stdout
    still = run_cli("quarantine", "retry", str(found[("event", bad_event)].id))
    assert (still.returncode, still.stdout.strip()) == (
        1,
        f"quarantine {found[('event', bad_event)].id}: still failing, kept with the new reason",
    )
    gone = run_cli("quarantine", "discard", str(found[("outbox", message)].id))
    assert gone.returncode == 0 and {m.id: m.status for m in outbox(ctx)}[message] == "failed"
    missing = run_cli("quarantine", "discard", "999")
    assert (missing.returncode, missing.stderr.strip()) == (1, "error: id: no quarantined row 999")


@pytest.mark.sqlite_only  # plants unreadable JSON, which a jsonb column refuses: such rows cannot exist on PostgreSQL
def test_a_contact_with_unreadable_attributes_does_not_stop_a_date_entry_for_the_others(ctx, clock) -> None:
    clock.set(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
    broken, leaving = add_contacts(ctx, 2, time_zone="Europe/Paris", attributes={"departure_date": "2026-03-10"})
    sql(ctx, "UPDATE contact SET attributes = '{\"departure_date\": ' WHERE id = ?", broken)
    journey_id = publish(ctx, CHECK_IN_JOURNEY)
    engine = Engine(ctx)
    run_scheduled_entries(engine)
    clock.set(datetime(2026, 3, 9, 8, 1, tzinfo=UTC))  # 09:01 in Paris
    run_scheduled_entries(engine)
    entered = sql(ctx, "SELECT contact_id FROM enrollment WHERE journey_id = ?", journey_id).fetchall()
    assert [row[0] for row in entered] == [leaving]
