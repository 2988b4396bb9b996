"""The live demo: published journeys, simulated traffic through ingestion, the "Simulated (demo)" provider."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.analytics import funnels
from app.core import context
from app.core.context import AppContext
from app.delivery.workspace import load_policy
from app.demo import live as demo_live
from app.demo import workspace as demo
from app.pages.builder.choices import node_counts
from app.simulation.population import Population
from app.simulation.responses import ResponseModel, fate
from journeys import document
from journeys.clock import FrozenClock
from journeys.templates import get_template
from storage import contacts_queries
from storage import journeys as journey_store
from tests.engine_support import add_contacts, outbox, publish, run, track
from tests.stub_servers import OneSignalStub
from tests.test_dispatch import dispatch, push_journey

FUNNEL = ("enrolled", "messaged", "delivered", "opened", "converted")


def _dashboard_totals(ctx: AppContext) -> dict[str, int]:
    today = int(ctx.clock.now().timestamp()) // 86_400 * 86_400
    rows = funnels.dashboard(ctx, start=today - 29 * 86_400, end=today + 86_400)
    totals: dict[str, int] = {}
    for row in rows:
        for metric, count in row.totals.items():
            totals[metric] = totals.get(metric, 0) + count
    return totals


def _journey_id(ctx: AppContext, template: str) -> int:
    with ctx.db.session() as session:
        rows = journey_store.list_journeys(session)
    name = document.to_dict(get_template(template).load())["name"]
    return next(r.id for r in rows if r.name == name)


def test_demo_moves_every_funnel_step_within_a_simulated_minute_and_the_split_shows_a_winner(
    ctx: AppContext, clock: FrozenClock
) -> None:
    summary = demo.load_demo(ctx)
    assert summary.published >= 4
    with ctx.db.session() as session:
        live = [r for r in journey_store.list_journeys(session) if r.status == "live"]
    assert len(live) == summary.published
    assert _dashboard_totals(ctx).get("enrolled", 0) == 0  # the sample history triggers nothing

    demo_live.replay(ctx, clock, seconds=60)
    totals = _dashboard_totals(ctx)
    assert all(totals.get(metric, 0) > 0 for metric in FUNNEL), totals
    assert 0 < totals["delivered"] < totals["messaged"]  # some simulated messages bounce
    assert not load_policy(ctx).quiet_hours.enabled  # the demo moves at any hour
    assert node_counts(ctx, _journey_id(ctx, "abandoned_cart")).get("wait_1h", 0) > 0  # the canvas counts

    demo_live.replay(ctx, clock, seconds=9 * 60, step_s=20)
    split = funnels.journey_analytics(ctx, _journey_id(ctx, "promo_push")).experiments["split"]
    arms = {row.variant: row for row in split}
    assert arms["A"].exposures > 250 and arms["B"].exposures > 250
    assert arms["B"].rate > arms["A"].rate
    assert arms["B"].prob_beat is not None and arms["B"].prob_beat > 0.95
    simulated = [m for m in outbox(ctx) if m.channel != "in_app"]
    assert simulated and {m.provider for m in simulated} == {"simulated"}


def test_stopping_the_demo_stops_traffic_and_restores_quiet_hours(ctx: AppContext, clock: FrozenClock) -> None:
    demo.load_demo(ctx, contact_count=100)
    assert demo_live.is_live(ctx)
    assert demo_live.stop(ctx, actor="ann@example.com")
    assert load_policy(ctx).quiet_hours.enabled
    clock.advance(minutes=5)
    assert demo_live.tick(ctx) == demo_live.TickResult()
    assert not demo_live.stop(ctx)  # already stopped


@pytest.fixture
def stub() -> Iterator[OneSignalStub]:
    server = OneSignalStub().start()
    yield server
    server.stop()


def test_a_real_provider_never_receives_demo_messages_nor_the_simulator_real_ones(
    ctx: AppContext, clock: FrozenClock, stub: OneSignalStub
) -> None:
    demo.load_demo(ctx, contact_count=300)
    ctx.settings.onesignal_app_id = "app-123"  # a real provider configured after the demo was loaded
    ctx.settings.onesignal_api_key = type(ctx.settings.onesignal_api_key)("secret-key")
    ctx.settings.onesignal_host = stub.url
    demo_live.replay(ctx, clock, seconds=120)
    real = add_contacts(ctx, 2)
    real_journey = publish(ctx, push_journey())
    track(ctx, real, "go")  # a real journey for real people...
    track(ctx, real, "flight_delayed")  # ...and real people entering a demo journey
    run(ctx)
    dispatch(ctx)
    assert sorted(stub.delivered_to()) == ["user-301", "user-302"]
    flight = _journey_id(ctx, "flight_delay")
    refused = [m for m in outbox(ctx, journey_id=flight) if m.contact_id in real]
    assert [m.status for m in refused] == ["failed", "failed"]
    assert {m.last_error for m in refused} == {"demo_journey_real_contact"}
    demo_rows = [m for m in outbox(ctx) if m.contact_id not in real]
    assert demo_rows and {m.provider for m in demo_rows} == {"simulated"}
    assert {m.provider for m in outbox(ctx, journey_id=real_journey)} == {"onesignal"}


def _run_demo(settings_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    from app.core.settings import get_settings

    monkeypatch.setenv("PARCOURS_DATABASE_URL", settings_url)
    get_settings.cache_clear()
    clock = FrozenClock()
    ctx = context.init(get_settings(), clock)
    try:
        demo.load_demo(ctx, contact_count=200, seed=3)
        demo_live.replay(ctx, clock, seconds=120)
        return _dashboard_totals(ctx)
    finally:
        context.close()


def test_seeded_demo_runs_repeat(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run_demo(f"sqlite:///{tmp_path / 'one.db'}", monkeypatch)
    second = _run_demo(f"sqlite:///{tmp_path / 'two.db'}", monkeypatch)
    assert first == second and first.get("messaged", 0) > 0


def test_population_events_are_the_same_however_time_is_cut() -> None:
    people = [f"demo-{i:05d}" for i in range(50)]
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    whole = Population(people, seed=5).events(start, start + timedelta(minutes=10))
    cut = []
    for minute in range(10):
        cut += Population(people, seed=5).events(
            start + timedelta(minutes=minute), start + timedelta(minutes=minute + 1)
        )
    assert [e.message_id for e in whole] == [e.message_id for e in cut]
    assert 300 < len(whole) < 900  # about 60 a minute
    other = Population(people, seed=6).events(start, start + timedelta(minutes=10))
    assert [e.message_id for e in other] != [e.message_id for e in whole]


def test_simulated_answers_follow_the_channel_rates() -> None:
    model = ResponseModel()
    fates = [fate(model, seed=1, message_id=f"m{i}", channel="email") for i in range(20_000)]
    metrics = [{s.metric for s in f} for f in fates]
    delivered = sum("delivered" in m for m in metrics)
    assert 0.97 < delivered / 20_000 < 0.99
    assert 0.22 < sum("opened" in m for m in metrics) / delivered < 0.28
    assert 0.03 < sum("clicked" in m for m in metrics) / delivered < 0.05
    assert fates[7] == fate(model, seed=1, message_id="m7", channel="email")


def test_the_demo_sends_at_night_because_quiet_hours_are_off_while_it_runs(ctx: AppContext, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 3, 10, 21, 30, tzinfo=UTC))  # 22:30 in Paris, inside the default quiet hours
    demo.load_demo(ctx, contact_count=200)
    demo_live.replay(ctx, clock, seconds=60)
    promo = outbox(ctx, journey_id=_journey_id(ctx, "promo_push"))
    assert len(promo) > 50 and {m.status for m in promo} == {"sent"}
    demo_live.stop(ctx)
    assert load_policy(ctx).quiet_hours.enabled


def test_scheduled_entries_use_the_saved_delivery_policy_before_the_engines_first_pass(
    ctx: AppContext, clock: FrozenClock
) -> None:
    from app.delivery.workspace import save_policy
    from app.engine.engine import Engine
    from app.engine.entries import run_scheduled_entries
    from tests.engine_support import journey

    clock.set(datetime(2026, 3, 10, 22, 0, tzinfo=UTC))  # 23:00 in Paris: inside the default quiet hours
    add_contacts(ctx, 3, time_zone="Europe/Paris")
    policy = load_policy(ctx)
    policy.quiet_hours.enabled = False
    save_policy(ctx, policy)
    at = {"mode": "once", "at": "2026-03-10T22:00:00", "time_zone": "UTC"}
    publish(
        ctx,
        journey(
            [("entry", "entry.schedule", at), ("msg", "message.push", {"body": "Hi"}), ("done", "exit", {})],
            [("entry", "next", "msg"), ("msg", "next", "done")],
        ),
    )
    run_scheduled_entries(Engine(ctx))  # a fresh engine, as at start-up: no pass has loaded the policy yet
    assert len(outbox(ctx)) == 3


def test_without_a_demo_the_demo_prefix_means_nothing_to_the_dispatcher(ctx: AppContext) -> None:
    ids = add_contacts(ctx, 1, external_id="demo-real-customer")
    publish(ctx, push_journey())
    track(ctx, ids, "go")
    run(ctx)
    dispatch(ctx)
    assert [(m.status, m.provider) for m in outbox(ctx)] == [("sandbox", "sandbox")]


def test_calls_for_a_person_erased_since_are_refused_without_stopping_the_demo(ctx: AppContext) -> None:
    from app.privacy import gdpr

    demo.load_demo(ctx, contact_count=20)
    gdpr.erase_contact(ctx, gdpr.find_contact(ctx, "demo-00003"), actor="dpo@example.com")
    goal = {"type": "track", "userId": "demo-00003", "event": "order_completed", "messageId": "sim-goal-x"}
    goal["timestamp"] = ctx.clock.now().isoformat()
    demo_live._ingest(ctx, [goal])  # refused by ingestion as for any app; the demo goes on
    with ctx.db.session() as session:
        assert "demo-00003" not in contacts_queries.external_ids(session, prefix="demo-")
