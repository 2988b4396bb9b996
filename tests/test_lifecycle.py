"""Journey lifecycle: pause holds queued messages, publishing keeps a pause, time zones inherit the workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from app.authoring import service as journey_service
from app.delivery.workspace import load_policy, save_policy
from journeys import document
from storage.journeys import get_journey
from tests.auth_helpers import login
from tests.engine_support import add_contacts, enrollments, journey, outbox, publish, run, track
from tests.quarantine_support import WAIT_THEN_PUSH, dispatch, raw_outbox, sql
from tests.test_builder_page import draft, open_cart
from tests.test_engine import PUSH_JOURNEY


def _status(ctx, journey_id: int) -> str:
    with ctx.db.session() as session:
        return get_journey(session, journey_id=journey_id).status


def test_paused_journey_holds_queued_and_retrying_messages_until_resumed_but_not_transactional_ones(ctx) -> None:
    ids = add_contacts(ctx, 2)
    journey_id = publish(ctx, PUSH_JOURNEY)
    track(ctx, ids, "signed_up")
    run(ctx)
    # The second push already failed twice at the provider and waits for its retry.
    sql(ctx, "UPDATE outbox SET attempts = 2, next_attempt_at = next_attempt_at + 600 WHERE contact_id = ?", ids[1])
    receipt = raw_outbox(
        ctx,
        "receipt-1",
        ids[0],
        "email",
        '{"subject": "Receipt", "body": "Thanks", "email": "user1@example.com", "external_id": "user-1"}',
        journey_id=journey_id,
        transactional=True,
    )
    journey_service.change_status(ctx, journey_id, "pause")
    ctx.clock.advance(timedelta(hours=3))
    dispatch(ctx)
    assert {m.contact_id: m.status for m in outbox(ctx, channel="push")} == {ids[0]: "pending", ids[1]: "pending"}
    assert {m.id: m.status for m in outbox(ctx)}[receipt] == "sandbox"
    journey_service.change_status(ctx, journey_id, "resume")
    dispatch(ctx)
    assert {m.contact_id: m.status for m in outbox(ctx, channel="push")} == {ids[0]: "sandbox", ids[1]: "sandbox"}


def test_publishing_a_new_version_of_a_paused_journey_keeps_it_paused(ctx) -> None:
    ids = add_contacts(ctx, 1)
    journey_id = publish(ctx, WAIT_THEN_PUSH)
    track(ctx, ids, "signed_up")
    run(ctx)
    journey_service.change_status(ctx, journey_id, "pause")
    journey_service.publish(ctx, journey_id)
    assert _status(ctx, journey_id) == "paused"
    run(ctx, after=timedelta(hours=2))
    assert outbox(ctx) == []  # nobody moves while paused
    journey_service.change_status(ctx, journey_id, "resume")
    run(ctx)
    assert [m.contact_id for m in outbox(ctx, channel="push")] == ids


def _noon_journey(name: str, **settings: str) -> dict:
    return journey(
        [
            ("entry", "entry.event", {"event": f"go_{name}"}),
            ("noon", "wait.until", {"mode": "time_of_day", "time": "12:00"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "noon"), ("noon", "next", "done")],
        name=name,
        settings=settings,
    )


def test_journey_without_a_time_zone_of_its_own_follows_the_workspace_default(ctx) -> None:
    save_policy(ctx, load_policy(ctx).model_copy(update={"default_time_zone": "Europe/Paris"}))
    ids = add_contacts(ctx, 1)  # no time zone of their own
    inherits = publish(ctx, _noon_journey("inherits"))
    own = publish(ctx, _noon_journey("own", default_time_zone="America/New_York"))
    track(ctx, ids, "go_inherits")
    track(ctx, ids, "go_own")
    run(ctx)

    def due(journey_id: int) -> datetime:
        return datetime.fromtimestamp(enrollments(ctx, journey_id)[0].due_at, UTC)

    assert due(inherits) == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)  # noon in Paris
    assert due(own) == datetime(2026, 1, 5, 17, 0, tzinfo=UTC)  # noon in New York


async def test_clearing_the_journey_time_zone_in_the_builder_makes_it_inherit(user: User) -> None:
    await login(user, "marketer")
    journey_id = await open_cart(user, settings={"default_time_zone": "Europe/Paris"})
    user.find(marker="journey-settings").elements.pop().set_value(True)
    await user.should_see("Conversion goal")
    field = user.find(marker="field-default_time_zone").elements.pop()
    assert field.props["hint"] == "Leave empty to use the workspace default time zone (Settings)."
    field.set_value(None)
    doc, _ = draft(journey_id)
    assert doc.settings.default_time_zone is None
    assert document.to_dict(doc)["settings"]["default_time_zone"] is None
