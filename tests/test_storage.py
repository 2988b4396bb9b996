"""Storage on a real SQLite file: migrations, drafts with revisions, immutable versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import storage.all_models  # noqa: F401
from app.authoring import service as svc
from journeys import document
from storage import journeys as store
from storage.db import Database
from tests.conftest import load_template_dict

# Expression indexes the scale-out migration adds on PostgreSQL only (storage/partitions.py); the models cannot
# declare an index on ``mod(contact_id, 16)`` for one database alone.
POSTGRES_ONLY_INDEXES = {"ix_event_partition", "ix_enrollment_partition"}


def _not_postgres_only(name: str | None, kind: str, _parent: object) -> bool:
    return not (kind == "index" and name in POSTGRES_ONLY_INDEXES)


def test_migrations_create_every_table_the_models_declare(settings) -> None:
    db = Database(settings.database_url)
    db.migrate()
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": _not_postgres_only}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    assert diff == [], "models and migrations disagree; add an Alembic revision"
    assert {"journey", "journey_version", "contact", "event"} <= set(inspect(db.engine).get_table_names())


def test_upgrade_again_keeps_data(settings) -> None:
    db = Database(settings.database_url)
    db.migrate()
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO journey (name, description, status, draft, revision, created_at, updated_at)"
                " VALUES ('kept', '', 'draft', '{}', 1, '2026-01-01', '2026-01-01')"
            )
        )
    db.dispose()
    again = Database(settings.database_url)
    again.migrate()
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM journey")).scalar_one() == "kept"


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode(ctx) -> None:
    with ctx.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_stale_revision_is_refused_and_keeps_the_newer_draft(ctx) -> None:
    journey_id = svc.import_journey(ctx, load_template_dict("flight_delay"))
    doc = document.parse(load_template_dict("flight_delay"))
    first = svc.save_draft(ctx, journey_id, doc.model_copy(update={"name": "tab one"}), expected_revision=1)
    assert first == 2
    with pytest.raises(store.StaleRevision, match="changed elsewhere"):
        svc.save_draft(ctx, journey_id, doc.model_copy(update={"name": "tab two"}), expected_revision=1)
    with ctx.db.session() as session:
        assert store.get_journey(session, journey_id=journey_id).name == "tab one"


def test_publish_creates_numbered_immutable_versions(ctx, clock) -> None:
    journey_id = svc.import_journey(ctx, load_template_dict("flight_delay"))
    assert svc.publish(ctx, journey_id) == 1
    clock.advance(timedelta(hours=1))
    doc = document.parse(load_template_dict("flight_delay")).model_copy(update={"description": "edited"})
    svc.save_draft(ctx, journey_id, doc, expected_revision=1)
    assert svc.publish(ctx, journey_id) == 2
    with ctx.db.session() as session:
        versions = store.list_versions(session, journey_id=journey_id)
        assert [v.version for v in versions] == [2, 1]
        assert versions[1].document["description"] != "edited"
        assert versions[0].published_at - versions[1].published_at == timedelta(hours=1)
        assert store.get_journey(session, journey_id=journey_id).status == "live"


def test_publish_refuses_an_invalid_draft_with_its_violations(ctx) -> None:
    journey_id = svc.create_journey(ctx, name="Blank")  # an entry whose event is still to choose, then an exit
    with pytest.raises(svc.InvalidJourney) as caught:
        svc.publish(ctx, journey_id)
    assert {(v.code, v.node_id) for v in caught.value.violations} == {("invalid_config", "entry_event_1")}
    with ctx.db.session() as session:
        assert store.list_versions(session, journey_id=journey_id) == []
        assert store.get_journey(session, journey_id=journey_id).status == "draft"


def test_import_of_invalid_document_writes_nothing(ctx) -> None:
    bad = load_template_dict("flight_delay")
    bad["edges"] = []
    with pytest.raises(svc.InvalidJourney):
        svc.import_journey(ctx, bad)
    with ctx.db.session() as session:
        assert store.list_journeys(session) == []


def test_status_transitions(ctx) -> None:
    journey_id = svc.import_journey(ctx, load_template_dict("flight_delay"))
    with pytest.raises(svc.StatusError, match="cannot pause a journey that is draft"):
        svc.change_status(ctx, journey_id, "pause")
    svc.publish(ctx, journey_id)
    assert svc.change_status(ctx, journey_id, "pause") == "paused"
    assert svc.change_status(ctx, journey_id, "resume") == "live"
    assert svc.change_status(ctx, journey_id, "archive") == "archived"
    with pytest.raises(svc.StatusError):
        svc.publish(ctx, journey_id)


def test_create_from_template_and_duplicate(ctx) -> None:
    journey_id = svc.create_journey(ctx, name="My birthdays", template="birthday_offer")
    copy_id = svc.duplicate_journey(ctx, journey_id)
    with ctx.db.session() as session:
        names = sorted(r.name for r in store.list_journeys(session))
    assert names == ["My birthdays", "My birthdays (copy)"]
    assert svc.export_journey(ctx, copy_id).count('"type": "entry.date"') == 1


def test_delivery_policy_round_trips(ctx) -> None:
    from app.delivery.workspace import load_policy, save_policy

    policy = load_policy(ctx)
    assert policy.quiet_hours.start == "21:00"
    save_policy(ctx, policy.model_copy(update={"default_time_zone": "Europe/Paris"}))
    assert load_policy(ctx).default_time_zone == "Europe/Paris"


@pytest.mark.sqlite_only
def test_write_sessions_of_one_process_take_turns(ctx) -> None:
    """A second writer waits for the first to commit instead of colliding with SQLite's write lock."""
    import threading

    from storage.models import WorkspaceSetting

    first_inside, release, order = threading.Event(), threading.Event(), []

    def first() -> None:
        with ctx.db.write_session() as session:
            session.add(WorkspaceSetting(key="turns", value={"by": "first"}, updated_at=ctx.clock.now()))
            session.flush()
            first_inside.set()
            release.wait(5)
            order.append("first")

    def second() -> None:
        with ctx.db.write_session() as session:
            row = session.get(WorkspaceSetting, "turns")
            order.append(("second saw", row.value if row else None))

    one = threading.Thread(target=first)
    one.start()
    assert first_inside.wait(5)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.2)
    assert two.is_alive() and order == []  # still queued behind the open write
    release.set()
    one.join(5)
    two.join(5)
    assert order == ["first", ("second saw", {"by": "first"})]  # it ran after the first writer's commit


def test_a_failed_write_session_writes_nothing_and_frees_the_turn(ctx) -> None:
    from storage.models import WorkspaceSetting

    with pytest.raises(RuntimeError), ctx.db.write_session() as session:
        session.add(WorkspaceSetting(key="half", value={}, updated_at=ctx.clock.now()))
        session.flush()
        raise RuntimeError("boom")
    with ctx.db.write_session() as session:
        assert session.get(WorkspaceSetting, "half") is None
