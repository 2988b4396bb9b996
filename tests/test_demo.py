"""The demo workspace: offered on an empty workspace, fills journeys, ~1,000 contacts and events, then trickles."""

from __future__ import annotations

from datetime import timedelta

import phonenumbers
from nicegui.testing import User
from sqlalchemy import func, select

from app.core import context, wakeup
from app.core.context import AppContext, current
from app.demo import live as demo_live
from app.demo import workspace as demo
from journeys.clock import FrozenClock
from journeys.templates import get_template, list_templates
from storage import consent as consent_store
from storage import contacts_queries as queries
from storage import journeys as journey_store
from storage import segments as segment_store
from storage.engine_models import OutboxMessage
from storage.models import Event
from tests.auth_helpers import login
from tests.conftest import run_cli
from tests.engine_support import outbox


def _event_count(ctx: AppContext) -> int:
    with ctx.db.session() as session:
        return session.execute(select(func.count()).select_from(Event)).scalar_one()


async def test_load_demo_button_fills_journeys_contacts_and_events(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    user.find(marker="load-demo").click()
    await user.should_see(marker="journey-list", retries=200)  # the load runs in a worker thread
    try:
        ctx = current()
        with ctx.db.session() as session:
            assert len(journey_store.list_journeys(session)) == len(list_templates())
            assert queries.count_contacts(session) == 1_000
        assert _event_count(ctx) > 2_000
        assert demo_live.is_live(ctx)
        await user.should_see("Demo workspace loaded")
        await user.open("/")
        await user.should_not_see(marker="load-demo")
    finally:
        demo_live.stop(current())


def test_demo_contacts_look_real(ctx: AppContext) -> None:
    demo.load_demo(ctx, contact_count=200)
    with ctx.db.session() as session:
        page = queries.search_contacts(session, page_size=200)
        contact = queries.get_contact(session, contact_id=page.items[0].id)
    assert page.total == 200
    assert len({row.email for row in page.items}) == 200
    for row in page.items:  # E.164 numbers in the ranges reserved for fiction, emails at reserved domains
        number = phonenumbers.parse(row.phone)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == row.phone
        assert row.phone.startswith(("+3363998", "+447700900"))
        assert row.email.rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"}
    assert contact is not None and contact.time_zone and contact.lat and contact.attributes["birthday"]
    assert set(contact.consent) == {"push", "sms", "email", "in_app"}


def test_demo_refuses_a_workspace_that_has_data(ctx: AppContext) -> None:
    demo.load_demo(ctx, contact_count=10)
    try:
        demo.load_demo(ctx, contact_count=10)
    except demo.WorkspaceNotEmpty:
        pass
    else:
        raise AssertionError("a second load must be refused")
    with ctx.db.session() as session:
        assert queries.count_contacts(session) == 10


def test_demo_tick_sends_population_events_through_ingestion_at_the_injected_time(
    ctx: AppContext, clock: FrozenClock
) -> None:
    demo.load_demo(ctx, contact_count=20)
    before = _event_count(ctx)
    woken: list[int] = []
    unsubscribe = wakeup.subscribe(lambda: woken.append(1))
    try:
        clock.advance(minutes=2)
        played = demo_live.tick(ctx)
        again = demo_live.tick(ctx)  # nothing new at the same moment
    finally:
        unsubscribe()
    assert played.events > 20 and again.events == 0
    assert _event_count(ctx) == before + played.events
    assert woken
    with ctx.db.session() as session:
        latest = session.execute(select(func.max(Event.timestamp))).scalar_one()
    assert clock.now() - timedelta(seconds=30) < latest <= clock.now()


def test_cli_demo_load_then_refuses_twice() -> None:
    first = run_cli("demo", "load", "--contacts", "50")
    assert first.returncode == 0, first.stderr
    assert "50 contacts" in first.stdout
    second = run_cli("demo", "load")
    assert second.returncode == 1
    assert second.stderr.startswith("error: ") and "empty workspace" in second.stderr


async def test_demo_badge_shows_everywhere_and_a_marketer_stops_the_demo_from_the_dashboard(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    await user.should_not_see(marker="demo-badge")
    demo.load_demo(current(), contact_count=20)
    await user.open("/contacts")
    await user.should_see("Demo data (simulated)")
    await user.open("/dashboard")
    await user.should_see(marker="demo-notice")
    user.find(marker="demo-stop").click()
    await user.should_see("Demo stopped")
    assert not demo_live.is_live(current())
    await user.open("/dashboard")
    await user.should_not_see(marker="demo-badge")
    await user.should_not_see(marker="demo-notice")


async def test_a_viewer_sees_the_demo_badge_but_no_stop_button(user: User) -> None:
    await login(user, "viewer")
    demo.load_demo(current(), contact_count=20)
    await user.open("/dashboard")
    await user.should_see(marker="demo-badge")
    await user.should_not_see(marker="demo-stop")
    assert demo_live.is_live(current())


def test_cli_demo_load_with_a_replay_has_history_then_stops() -> None:
    loaded = run_cli("demo", "load", "--contacts", "60", "--replay-minutes", "3")
    assert loaded.returncode == 0, loaded.stderr
    assert "played 3 simulated minutes" in loaded.stdout
    stopped = run_cli("demo", "stop")
    assert stopped.returncode == 0 and "demo stopped" in stopped.stdout
    with context.init().db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() > 0
    bad = run_cli("demo", "load", "--replay-minutes", "-5")
    assert bad.returncode == 1 and "--replay-minutes" in bad.stderr


def test_demo_loaded_in_french_names_journeys_segment_and_consent_in_french_and_still_sends(
    ctx: AppContext, clock: FrozenClock
) -> None:
    summary = demo.load_demo(ctx, contact_count=200, lang="fr")
    with ctx.db.session() as session:
        names = {row.name for row in journey_store.list_journeys(session)}
        segments = [row.name for row in segment_store.list_segments(session)]
        first = queries.search_contacts(session, page_size=1).items[0].id
        actors = {row["actor"] for row in consent_store.history(session, first)}
    assert names == {template.translated("fr").name for template in list_templates()}
    assert "Panier abandonné : SMS puis e-mail" in names
    assert segments == ["Abonnés push"]
    assert actors == {"espace de démonstration"}
    demo_live.replay(ctx, clock, seconds=60)  # the promo's schedule finds its audience under the French name
    promo_name = get_template("promo_push").translated("fr").name
    with ctx.db.session() as session:
        promo = next(row.id for row in journey_store.list_journeys(session) if row.name == promo_name)
    assert summary.published == 7 and outbox(ctx, journey_id=promo)


def test_cli_demo_load_in_french() -> None:
    loaded = run_cli("demo", "load", "--contacts", "20", "--lang", "fr")
    assert loaded.returncode == 0, loaded.stderr
    with context.init().db.session() as session:
        assert "Panier abandonné : SMS puis e-mail" in {row.name for row in journey_store.list_journeys(session)}
    bad = run_cli("demo", "load", "--lang", "de")
    assert bad.returncode == 2 and "--lang" in bad.stderr
