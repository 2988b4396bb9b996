"""API entry, in-app inbox and sandbox outbox over real HTTP; preview; scheduled and date entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.delivery.dispatch import Dispatcher
from app.engine import service as engine_service
from app.engine.engine import Engine
from app.engine.entries import run_scheduled_entries
from tests.auth_helpers import create_account
from tests.engine_support import add_contacts, enrollments, journey, outbox, publish, run

API_JOURNEY = journey(
    [
        ("entry", "entry.api", {}),
        ("inapp", "message.in_app", {"title": "Hi {{ contact.first_name }}", "body": "Order {{ event.order }}"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "inapp"), ("inapp", "next", "done")],
)
# A push the day before the contact's departure_date, at 09:00 in their time zone.
CHECK_IN_JOURNEY = journey(
    [
        (
            "entry",
            "entry.date",
            {
                "attribute": "departure_date",
                "direction": "before",
                "offset": {"amount": 1, "unit": "days"},
                "time_of_day": "09:00",
            },
        ),
        ("msg", "message.push", {"body": "Check in for {{ event.departure_date }}"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "msg"), ("msg", "next", "done")],
)


def api_key(ctx, kind: str = "tracking", role: str | None = None) -> str:  # noqa: ANN001
    from storage.api_keys import create_key

    with ctx.db.session() as session:
        _info, raw = create_key(session, name="mobile app", now=ctx.clock.now(), kind=kind, role=role)
    return raw


def test_enroll_endpoint_enters_contact_and_inbox_serves_the_message(ctx, clock, server) -> None:
    clock.set(datetime.now(UTC))  # the server process reads the inbox with the real clock
    add_contacts(ctx, 1)
    journey_id = publish(ctx, API_JOURNEY)
    response = httpx.post(
        f"{server.base_url}/api/v1/journeys/{journey_id}/enroll",
        json={"external_id": "user-1", "properties": {"order": 42}},
    )
    assert response.status_code == 202, response.text
    assert response.json()["enrolled"] is True
    clock.set(datetime.now(UTC))  # the server queued the message at its own (real) time
    Dispatcher(ctx).run()
    key = {"Authorization": f"Bearer {api_key(ctx)}"}  # the inbox is read by the app, always with a key
    inbox_url = f"{server.base_url}/api/v1/contacts/user-1/in-app"
    assert httpx.get(inbox_url).status_code == 401
    inbox = httpx.get(inbox_url, headers=key).json()["messages"]
    assert [(m["title"], m["body"]) for m in inbox] == [("Hi Ann1", "Order 42")]
    assert httpx.post(f"{inbox_url}/{inbox[0]['id']}/read").status_code == 401
    read = httpx.post(f"{inbox_url}/{inbox[0]['id']}/read", headers=key)
    assert read.status_code == 200
    assert httpx.get(inbox_url, headers=key).json()["messages"] == []
    again = httpx.post(
        f"{server.base_url}/api/v1/journeys/{journey_id}/enroll", json={"external_id": "user-1"}, headers=key
    )
    assert again.json() == {"enrolled": False, "reason": "re-entry rules"}


def test_enroll_needs_a_key_once_the_workspace_has_one(ctx, server) -> None:
    from storage.api_keys import create_key

    add_contacts(ctx, 1)
    journey_id = publish(ctx, API_JOURNEY)
    with ctx.db.session() as session:
        _info, raw = create_key(session, name="backend", now=ctx.clock.now())
    url = f"{server.base_url}/api/v1/journeys/{journey_id}/enroll"
    assert httpx.post(url, json={"external_id": "user-1"}).status_code == 401
    assert httpx.post(url, json={"external_id": "user-1"}, auth=("wrong", "")).status_code == 401
    assert httpx.post(url, json={"external_id": "user-1"}, headers={"Authorization": f"Bearer {raw}"}).json() == {
        "enrolled": True,
        "reason": None,
    }


def test_enroll_endpoint_names_the_problem(ctx, server) -> None:
    add_contacts(ctx, 1)
    journey_id = publish(ctx, API_JOURNEY)
    unknown = httpx.post(f"{server.base_url}/api/v1/journeys/{journey_id}/enroll", json={"external_id": "nobody"})
    assert unknown.status_code == 404 and "nobody" in unknown.json()["detail"]
    far = httpx.post(f"{server.base_url}/api/v1/journeys/{2**40}/enroll", json={"external_id": "user-1"})
    assert far.status_code == 404 and far.json()["detail"] == f"journey_id: no journey {2**40}"  # not an overflow
    huge = httpx.post(f"{server.base_url}/api/v1/journeys/{2**63}/enroll", json={"external_id": "user-1"})
    assert huge.status_code == 422 and huge.json()["detail"][0]["loc"] == ["path", "journey_id"]
    missing = httpx.post(f"{server.base_url}/api/v1/journeys/{journey_id}/enroll", json={})
    assert missing.status_code == 422 and "external_id" in missing.text
    other = publish(ctx, "abandoned_cart")
    wrong = httpx.post(f"{server.base_url}/api/v1/journeys/{other}/enroll", json={"external_id": "user-1"})
    assert wrong.status_code == 409


def test_sandbox_outbox_is_visible_over_the_api(ctx, server) -> None:
    add_contacts(ctx, 1)
    doc = journey(
        [("entry", "entry.api", {}), ("msg", "message.push", {"body": "Hello"}), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )
    journey_id = publish(ctx, doc)
    engine_service.enroll(ctx, journey_id, external_id="user-1", properties={})
    Dispatcher(ctx).run()
    url = f"{server.base_url}/api/v1/outbox"
    create_account(ctx, "admin")  # a set-up workspace
    assert httpx.get(url, params={"status": "sandbox"}).status_code == 401  # management: a token or a session
    token = {"Authorization": f"Bearer {api_key(ctx, 'management', 'marketer')}"}
    response = httpx.get(url, params={"status": "sandbox"}, headers=token)
    assert response.status_code == 200, response.text
    listed = response.json()
    assert listed["totals"] == {"sandbox": 1}
    assert listed["messages"][0]["payload"]["body"] == "Hello"


def test_preview_renders_a_draft_message_for_one_contact(ctx) -> None:
    [contact_id] = add_contacts(ctx, 1)
    journey_id = publish(ctx, "abandoned_cart")
    rendered = engine_service.preview(
        ctx, journey_id, "email", contact_id, event={"checkout_url": "https://s.example/c"}
    )
    assert rendered["subject"] == "Your cart is still waiting, Ann1"
    assert "Hello Ann1" in rendered["body"] and 'href="https://s.example/c"' in rendered["body"]
    with pytest.raises(engine_service.NotFound):
        engine_service.preview(ctx, journey_id, "wait_1h", contact_id)


def test_recurring_schedule_enrolls_everyone_once_per_run(ctx, clock) -> None:
    clock.set(datetime(2026, 1, 5, 8, 59, 30, tzinfo=UTC))  # a Monday
    doc = journey(
        [
            ("entry", "entry.schedule", {"mode": "recurring", "cron": "0 9 * * 1", "time_zone": "UTC"}),
            ("msg", "message.push", {"body": "Weekly"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "msg"), ("msg", "next", "done")],
        settings={"reentry": {"mode": "after_exit"}},
    )
    add_contacts(ctx, 3)
    journey_id = publish(ctx, doc)
    engine = Engine(ctx)
    assert run_scheduled_entries(engine) == 0
    clock.advance(timedelta(minutes=1))
    assert run_scheduled_entries(engine) == 3
    assert run_scheduled_entries(engine) == 0
    clock.advance(timedelta(days=7))
    assert run_scheduled_entries(engine) == 3
    assert len(enrollments(ctx, journey_id)) == 6
    run(ctx)
    assert len(outbox(ctx)) == 6


def test_date_entry_fires_a_day_before_departure_in_local_time(ctx, clock) -> None:
    clock.set(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
    [leaving] = add_contacts(ctx, 1, time_zone="Europe/Paris", attributes={"departure_date": "2026-03-10"})
    add_contacts(ctx, 1, time_zone="Europe/Paris", attributes={"departure_date": "2026-04-01"})
    journey_id = publish(ctx, CHECK_IN_JOURNEY)
    engine = Engine(ctx)
    run_scheduled_entries(engine)
    assert enrollments(ctx, journey_id) == []
    clock.set(datetime(2026, 3, 9, 8, 1, tzinfo=UTC))  # 09:01 in Paris
    run_scheduled_entries(engine)
    assert [e.contact_id for e in enrollments(ctx, journey_id)] == [leaving]
    run(ctx)
    assert outbox(ctx)[0].payload["body"] == "Check in for 2026-03-10"


def test_enroll_endpoint_requires_an_api_key_once_one_exists(ctx, server) -> None:
    from storage.api_keys import create_key

    add_contacts(ctx, 1)
    journey_id = publish(ctx, API_JOURNEY)
    with ctx.db.session() as session:
        _info, raw_key = create_key(session, name="backend", now=ctx.clock.now())
    url = f"{server.base_url}/api/v1/journeys/{journey_id}/enroll"
    assert httpx.post(url, json={"external_id": "user-1"}).status_code == 401
    allowed = httpx.post(url, json={"external_id": "user-1"}, headers={"Authorization": f"Bearer {raw_key}"})
    assert allowed.status_code == 202 and allowed.json()["enrolled"] is True


def test_scheduled_entry_enrolls_the_members_of_a_segment(ctx, clock) -> None:
    from storage.segments import create_segment

    with ctx.db.session() as session:
        condition = {"kind": "attribute", "attribute": "city", "op": "eq", "value": "Lyon"}
        create_segment(session, name="Lyon", condition=condition, now=clock.now())
    lyon = add_contacts(ctx, 2, attributes={"city": "Lyon"})
    add_contacts(ctx, 2, attributes={"city": "Nice"})
    doc = journey(
        [
            ("entry", "entry.schedule", {"mode": "once", "at": "2026-01-05T10:00:00+00:00", "segment": "Lyon"}),
            ("msg", "message.push", {"body": "Bonjour Lyon"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )
    journey_id = publish(ctx, doc)
    engine = Engine(ctx)
    assert run_scheduled_entries(engine) == 0
    clock.set(datetime(2026, 1, 5, 10, 0, 30, tzinfo=UTC))
    assert run_scheduled_entries(engine) == 2
    assert run_scheduled_entries(engine) == 0
    assert [e.contact_id for e in enrollments(ctx, journey_id)] == lyon
