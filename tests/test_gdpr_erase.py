"""Export, erasure and retention on a real SQLite file, with contacts run through a real journey."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.access import audit
from app.audience import consent
from app.delivery.dispatch import Dispatcher
from app.engine import service as engine_service
from app.privacy import gdpr
from app.tracking import service as tracking_service
from app.tracking.payloads import Identify
from storage.engine_models import StepCount
from tests.engine_support import add_contacts, journey, outbox, publish, run, track
from tests.stored_bytes import stored_bytes

EMAIL = "zorglub.quixote@erasure-test.example"
PHONE = "+33698765431"
EXTERNAL = "cust-zorglub-77"

JOURNEY = journey(
    [
        ("entry", "entry.api", {}),
        ("sms", "message.sms", {"body": "Hi {{ contact.first_name }}, ref {{ event.note }}"}),
        ("email", "message.email", {"subject": "For {{ contact.email }}", "body": "<p>{{ event.note }}</p>"}),
        ("inapp", "message.in_app", {"title": "Hello", "body": "Reach us at {{ contact.phone }}"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "sms"), ("sms", "next", "email"), ("email", "next", "inapp"), ("inapp", "next", "done")],
)


def _seed(ctx) -> tuple[int, int, int]:
    (target,) = add_contacts(ctx, 1, email=EMAIL, phone=PHONE, external_id=EXTERNAL)
    (other,) = add_contacts(ctx, 1)
    journey_id = publish(ctx, JOURNEY)
    engine_service.enroll(ctx, journey_id, external_id=EXTERNAL, properties={"note": f"{EMAIL} / {PHONE}"})
    engine_service.enroll(ctx, journey_id, external_id=f"user-{other}", properties={"note": "another person"})
    run(ctx)
    Dispatcher(ctx).run()
    track(ctx, [target], "Order Completed", email=EMAIL, phone=PHONE)
    consent.set_consent(ctx, target, "push", "unsubscribed", "ui", "marketer@example.com")
    audit.record(ctx, "marketer@example.com", "contact.edit", f"contact {EMAIL}", {"phone": PHONE})
    return target, other, journey_id


def _file_bytes(ctx) -> bytes:
    return stored_bytes(ctx, vacuum=False)


def _vacuum(ctx) -> None:
    stored_bytes(ctx)


def test_export_holds_profile_consent_events_messages_and_journeys(ctx) -> None:
    target, _other, journey_id = _seed(ctx)
    data = gdpr.export_contact(ctx, target, actor="marketer@example.com")
    assert data["profile"]["email"] == EMAIL
    assert [(c["channel"], c["status"]) for c in data["consent_history"]] == [("push", "unsubscribed")]
    assert [e["name"] for e in data["events"]] == ["Order Completed"]
    assert sorted(m["channel"] for m in data["messages"]) == ["email", "in_app", "sms"]
    assert [c["title"] for c in (m["content"] for m in data["in_app"])] == ["Hello"]
    assert [(j["journey_id"], j["status"]) for j in data["journeys"]] == [(journey_id, "done")]
    assert [e.action for e in audit.entries(ctx, action="contact.export")] == ["contact.export"]


def test_erase_leaves_no_trace_of_email_or_phone_in_the_database_file(ctx) -> None:
    target, other, journey_id = _seed(ctx)
    _vacuum(ctx)
    before = _file_bytes(ctx)
    assert EMAIL.encode() in before and PHONE.encode() in before
    counted = select(func.sum(StepCount.__table__.c.count)).where(StepCount.__table__.c.journey_id == journey_id)
    with ctx.db.engine.connect() as conn:
        steps_before = conn.execute(counted).scalar_one()

    removed = gdpr.erase_contact(ctx, target, actor="marketer@example.com")

    assert removed["event"] == 1 and removed["outbox"] == 3 and removed["enrollment"] == 1
    _vacuum(ctx)
    after = _file_bytes(ctx)
    assert EMAIL.encode() not in after
    assert PHONE.encode() not in after
    assert EXTERNAL.encode() not in after
    with ctx.db.engine.connect() as conn:
        assert conn.execute(counted).scalar_one() == steps_before
    assert {m.contact_id for m in outbox(ctx)} == {other}
    (entry,) = audit.entries(ctx, action="contact.erase")
    assert entry.target == f"contact:{target}" and EMAIL not in str(entry.details)


def test_erase_of_an_unknown_contact_changes_nothing(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    with pytest.raises(gdpr.UnknownContact):
        gdpr.erase_contact(ctx, cid + 5, actor="marketer@example.com")
    with pytest.raises(gdpr.UnknownContact):
        gdpr.export_contact(ctx, cid + 5, actor="marketer@example.com")
    assert audit.entries(ctx, action="contact.erase") == []
    assert gdpr.find_contact(ctx, f"user-{cid}") == cid


def _identify(traits: dict) -> Identify:
    return Identify.model_validate({"type": "identify", "userId": EXTERNAL, "traits": traits})


def test_an_erased_person_cannot_be_recreated_without_reconsent(ctx) -> None:
    (target,) = add_contacts(ctx, 1, email=EMAIL, phone=PHONE, external_id=EXTERNAL)
    gdpr.erase_contact(ctx, target, actor="cli")
    with pytest.raises(tracking_service.IngestError) as refused:
        tracking_service.ingest(ctx, [_identify({"email": EMAIL})])
    assert refused.value.problems[0]["field"] == "userId"
    assert gdpr.find_contact(ctx, EXTERNAL) is None
    accepted = tracking_service.ingest(ctx, [_identify({"email": EMAIL, "reconsent": True})])
    assert accepted.contacts == 1
    assert gdpr.find_contact(ctx, EXTERNAL) is not None


def test_erase_does_not_block_recreation_when_the_setting_is_off(ctx) -> None:
    ctx.settings.erase_blocks_recreation = False
    (target,) = add_contacts(ctx, 1, email=EMAIL, phone=PHONE, external_id=EXTERNAL)
    gdpr.erase_contact(ctx, target, actor="cli")
    assert tracking_service.ingest(ctx, [_identify({"email": EMAIL})]).contacts == 1


def test_purge_deletes_old_events_and_blanks_old_message_bodies(ctx, clock) -> None:
    ctx.settings.retention_events_days = 30
    ctx.settings.retention_messages_days = 60
    target, _other, _journey_id = _seed(ctx)
    assert gdpr.purge_expired(ctx) == {"events": 0, "messages": 0}
    clock.advance(timedelta(days=31))
    track(ctx, [target], "Fresh Event")
    assert gdpr.purge_expired(ctx, batch=1) == {"events": 1, "messages": 0}
    clock.advance(timedelta(days=30))
    purged = gdpr.purge_expired(ctx, batch=2)
    assert purged == {"events": 0, "messages": 8}  # 6 outbox rows (2 contacts x 3) and 2 in-app contents
    assert all(m.payload == {} for m in outbox(ctx))
    data = gdpr.export_contact(ctx, target, actor="cli")
    assert [e["name"] for e in data["events"]] == ["Fresh Event"]


def test_csv_import_skips_erased_people_unless_they_reconsented(ctx, tmp_path: Path) -> None:
    from app.audience.csv_import import import_file

    (target,) = add_contacts(ctx, 1, email=EMAIL, phone=PHONE, external_id=EXTERNAL)
    gdpr.erase_contact(ctx, target, actor="cli")
    mapping = {"external_id": "Id", "email": "Email", "attr.reconsent": "Again"}
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(f"Id,Email,Again\n{EXTERNAL},{EMAIL},no\nnew-1,new1@example.com,no\n", encoding="utf-8")
    first = import_file(ctx, str(csv_file), mapping)
    assert (first.created, [line for line, _ in first.rejected]) == (1, [2])
    assert gdpr.find_contact(ctx, EXTERNAL) is None
    csv_file.write_text(f"Id,Email,Again\n{EXTERNAL},{EMAIL},true\n", encoding="utf-8")
    assert import_file(ctx, str(csv_file), mapping).created == 1
    assert gdpr.find_contact(ctx, EXTERNAL) is not None


def test_erase_also_removes_profiles_merged_into_the_contact(ctx) -> None:
    from storage import contacts as contact_store

    (target,) = add_contacts(ctx, 1, external_id=EXTERNAL)
    (anonymous,) = add_contacts(ctx, 1, external_id=None, anonymous_id="anon-zorglub", email=EMAIL, phone=PHONE)
    with ctx.db.session() as session:
        contact_store.merge_contacts(session, source_id=anonymous, target_id=target, now=ctx.clock.now())
    removed = gdpr.erase_contact(ctx, target, actor="cli")
    assert removed["merged_profiles"] == 1
    _vacuum(ctx)
    after = _file_bytes(ctx)
    assert EMAIL.encode() not in after and b"anon-zorglub" not in after
