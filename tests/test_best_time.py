"""Send at each contact's best time: the pure choice, profiles kept from sessions and opens, the engine waiting for
the chosen instant, settings refused at publish, and the preview's numbers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.authoring import service as journey_service
from app.authoring.service import InvalidJourney
from app.core import runtime
from app.delivery.workspace import save_policy
from app.engagement import best_time
from components.best_time_chart import best_time_figure
from journeys import document, send_time
from journeys.policy import DeliveryPolicy, QuietHours
from journeys.send_time import Profile, choose, posterior, workspace_shares
from storage import send_time as store
from tests.engine_support import add_contacts, counts, journey, outbox, publish, run, track

PARIS = ZoneInfo("Europe/Paris")
# Monday 2026-11-30 08:00 UTC = 09:00 in Paris (winter time, UTC+1).
MONDAY_8_UTC = int(datetime(2026, 11, 30, 8, tzinfo=UTC).timestamp())


def local_hour(at: int, tz: ZoneInfo = PARIS) -> int:
    return datetime.fromtimestamp(at, UTC).astimezone(tz).hour


def peaked(hour: int, count: int = 20, day: int = 0) -> Profile:
    return EMPTY_PROFILE.add([day * 24 + hour] * count)


EMPTY_PROFILE = send_time.EMPTY


def test_a_short_history_is_shrunk_towards_the_workspace_and_a_long_one_speaks_for_itself() -> None:
    workspace = peaked(10, 500)
    shares = workspace_shares(workspace)
    assert posterior(None, shares) == pytest.approx(shares)
    few = posterior(peaked(20, 2), shares)
    assert few[10] > few[20]  # two sessions at 20:00 do not outweigh a workspace that engages at 10:00
    pooled = 2 + 2 / 7  # the contact's own two, and their share of 20:00 pooled across the week's days
    assert few[20] == pytest.approx((pooled + 10 * shares[20]) / (4 + 10))
    many = posterior(peaked(20, 60), shares)
    assert many[20] > 5 * many[10]
    assert sum(many[day * 24 + 20] for day in range(7)) > 0.9  # 20:00 on Mondays most, and on other days too


def test_the_choice_is_the_contact_peak_in_their_local_time_within_the_window() -> None:
    profile = peaked(20, 30)  # Mondays at 20:00 local
    choice = choose(MONDAY_8_UTC, within_hours=24, tz=PARIS, contact=profile, workspace=None)
    assert choice.basis == "profile" and choice.reason == "best_time"
    assert local_hour(choice.at) == 20 and choice.at == MONDAY_8_UTC + 11 * 3600  # 19:00 UTC
    # Ten hours is not enough to reach 20:00 local: the best instant inside the window instead, never after it.
    short = choose(MONDAY_8_UTC, within_hours=10, tz=PARIS, contact=profile, workspace=None)
    assert MONDAY_8_UTC <= short.at < MONDAY_8_UTC + 10 * 3600
    tokyo = choose(MONDAY_8_UTC, within_hours=48, tz=ZoneInfo("Asia/Tokyo"), contact=profile, workspace=None)
    assert local_hour(tokyo.at, ZoneInfo("Asia/Tokyo")) == 20


def test_no_history_falls_back_to_the_fallback_time_or_the_workspace_hours() -> None:
    workspace = peaked(13, 400)
    choice = choose(MONDAY_8_UTC, within_hours=24, tz=PARIS, contact=None, workspace=workspace, fallback="10:00")
    assert choice.basis == "fallback" and choice.reason == "best_time_fallback"
    assert local_hour(choice.at) == 10 and choice.at == MONDAY_8_UTC + 3600
    # At 11:00 local, the next 10:00 is not within six hours: the workspace's best hour within them instead.
    outside = choose(MONDAY_8_UTC + 7200, within_hours=6, tz=PARIS, contact=EMPTY_PROFILE, workspace=workspace)
    assert outside.basis == "workspace" and local_hour(outside.at) == 13


def test_quiet_hours_are_avoided_when_another_instant_remains() -> None:
    profile = peaked(23, 40)
    quiet = QuietHours(start="21:00", end="08:00")

    def blocked(at: int) -> bool:
        from journeys.localtime import in_window

        return in_window(at, quiet.start, quiet.end, PARIS)

    choice = choose(MONDAY_8_UTC, within_hours=24, tz=PARIS, contact=profile, workspace=None, blocked=blocked)
    assert not blocked(choice.at) and 8 <= local_hour(choice.at) < 21
    unblocked = choose(MONDAY_8_UTC, within_hours=24, tz=PARIS, contact=profile, workspace=None)
    assert local_hour(unblocked.at) == 23


def _best_time_push(hours: int = 24, fallback: str = "10:00", **extra) -> dict:
    config = {"body": "Hi", "best_time": True, "best_time_hours": hours, "best_time_fallback": fallback, **extra}
    return journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", "message.push", config), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )


def _sessions_at(ctx, clock, contact_ids: list[int], utc_hour: int, days: int) -> None:
    """App sessions at ``utc_hour`` UTC on each of the last ``days`` days, then the profiles refreshed."""
    start = clock.now()
    for day in range(days, 0, -1):
        clock.set(start.replace(hour=utc_hour, minute=10) - timedelta(days=day))
        track(ctx, contact_ids, "Application Opened")
    clock.set(start)
    assert best_time.refresh(ctx).engagements == len(contact_ids) * days


def test_profiles_are_kept_from_sessions_and_opens_in_local_time(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    (paris,) = add_contacts(ctx, 1, time_zone="Europe/Paris")
    (tokyo,) = add_contacts(ctx, 1, time_zone="Asia/Tokyo")
    _sessions_at(ctx, clock, [paris, tokyo], utc_hour=18, days=3)
    with ctx.db.engine.connect() as conn:
        profiles = store.profiles(conn, [paris, tokyo])
        workspace = store.workspace(conn)
    assert sum(profiles[paris].counts[h * 24 + 19] for h in range(7)) == 3  # 18:10 UTC is 19:10 in Paris
    assert sum(profiles[tokyo].counts[h * 24 + 3] for h in range(7)) == 3  # and 03:10 the next day in Tokyo
    assert workspace.total == 6
    assert best_time.refresh(ctx).engagements == 0  # nothing counted twice


async def test_the_runtime_refreshes_profiles_every_five_minutes(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    regular = add_contacts(ctx, 1, time_zone="Europe/Paris")
    track(ctx, regular, "Application Opened")
    running = runtime.start(ctx)
    try:
        job = running.scheduler.get_job(runtime.BEST_TIME_JOB)
        assert job.trigger.interval == timedelta(minutes=5)
        runtime.run_best_time()  # what the scheduler calls
    finally:
        await asyncio.to_thread(runtime.stop)
    with ctx.db.engine.connect() as conn:
        assert store.profiles(conn, regular)[regular[0]].counts[9] == 1  # Monday 09:00 in Paris


def test_engine_sends_at_the_chosen_time_and_not_before(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    regular = add_contacts(ctx, 1, time_zone="Europe/Paris")
    newcomer = add_contacts(ctx, 1, time_zone="Europe/Paris")
    _sessions_at(ctx, clock, regular, utc_hour=18, days=6)  # 19:10 Paris
    journey_id = publish(ctx, _best_time_push())
    track(ctx, regular + newcomer, "go")
    run(ctx)
    assert outbox(ctx) == []
    tally = counts(ctx, journey_id)
    assert tally[("msg", "deferred", "best_time")] == 1
    assert tally[("msg", "deferred", "best_time_fallback")] == 1
    run(ctx, after=timedelta(minutes=59))  # 08:59 UTC = 09:59 Paris: not yet
    assert outbox(ctx) == []
    run(ctx, after=timedelta(minutes=1))  # 10:00 Paris, the fallback time
    assert [m.contact_id for m in outbox(ctx)] == newcomer
    clock.set(datetime(2026, 11, 30, 17, 59, 59, tzinfo=UTC))
    run(ctx)
    assert len(outbox(ctx)) == 1
    run(ctx, after=timedelta(seconds=1))  # 19:00 Paris, the regular's hour
    assert [m.contact_id for m in outbox(ctx)] == newcomer + regular


def test_quiet_hours_still_hold_at_the_chosen_time(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(start="18:00", end="08:00", action="defer")))
    owl = add_contacts(ctx, 1, time_zone="Europe/Paris")
    _sessions_at(ctx, clock, owl, utc_hour=21, days=8)  # 22:10 Paris, inside quiet hours: their best hour
    _sessions_at(ctx, clock, owl, utc_hour=15, days=3)  # 16:10 Paris: their best allowed hour
    publish(ctx, _best_time_push())
    track(ctx, owl, "go")
    run(ctx)
    clock.set(datetime(2026, 11, 30, 14, 59, tzinfo=UTC))
    run(ctx)
    assert outbox(ctx) == []
    run(ctx, after=timedelta(minutes=1))
    sent = outbox(ctx)
    assert len(sent) == 1 and local_hour(sent[0].created_at) == 16  # not 22:00, inside quiet hours


def test_frequency_caps_still_hold_at_the_chosen_time(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    cap = {"channel": "push", "max_messages": 1, "per": {"amount": 24, "unit": "hours"}}
    save_policy(ctx, DeliveryPolicy(frequency_caps=[cap]))
    newcomer = add_contacts(ctx, 1, time_zone="Europe/Paris")
    waiting = publish(ctx, _best_time_push())
    track(ctx, newcomer, "go")
    run(ctx)  # deferred to 10:00 Paris, the fallback time
    other = journey(
        [("entry", "entry.event", {"event": "now"}), ("msg", "message.push", {"body": "Now"}), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
        name="Immediate",
    )
    publish(ctx, other)
    track(ctx, newcomer, "now")
    run(ctx, after=timedelta(minutes=30))
    assert len(outbox(ctx)) == 1
    run(ctx, after=timedelta(minutes=30))  # 10:00 Paris: the cap was used meanwhile
    assert len(outbox(ctx)) == 1
    assert counts(ctx, waiting)[("msg", "skipped", "frequency_cap")] == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"best_time_hours": 0}, "best_time_hours"),
        ({"best_time_hours": 169}, "best_time_hours"),
        ({"best_time_fallback": "25:00"}, "best_time_fallback"),
    ],
)
def test_bad_best_time_settings_are_refused_at_publish(ctx, changes, field) -> None:
    journey_id = journey_service.import_journey(ctx, _best_time_push())
    doc = _best_time_push()
    doc["nodes"][1]["config"].update(changes)  # a draft may hold it while being edited; publishing may not
    journey_service.save_draft(ctx, journey_id, document.parse(doc), expected_revision=1)
    with pytest.raises(InvalidJourney) as refused:
        journey_service.publish(ctx, journey_id)
    (violation,) = refused.value.violations
    assert violation.node_id == "msg" and violation.values["field"] == field


def test_wait_until_best_time_waits_for_the_contact_hour(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    regular = add_contacts(ctx, 1, time_zone="Europe/Paris")
    _sessions_at(ctx, clock, regular, utc_hour=11, days=6)  # 12:10 Paris
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("wait", "wait.until", {"mode": "best_time", "within_hours": 12, "time": "09:00"}),
            ("msg", "message.push", {"body": "Hi"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "wait"), ("wait", "next", "msg"), ("msg", "next", "done")],
    )
    journey_id = publish(ctx, doc)
    track(ctx, regular, "go")
    run(ctx)
    run(ctx, after=timedelta(hours=2, minutes=59))
    assert outbox(ctx) == []
    run(ctx, after=timedelta(minutes=1))
    assert len(outbox(ctx)) == 1 and local_hour(outbox(ctx)[0].created_at) == 12
    assert counts(ctx, journey_id)[("wait", "deferred", "best_time")] == 1
    bad = dict(doc, name="bad")
    bad["nodes"] = [dict(n) for n in doc["nodes"]]
    bad["nodes"][1] = dict(bad["nodes"][1], config={"mode": "best_time", "within_hours": 0})
    with pytest.raises(InvalidJourney):
        publish(ctx, bad)


def test_preview_counts_contacts_per_hour_and_how_much_data_they_have(ctx, clock) -> None:
    clock.set(datetime(2026, 11, 30, 8, tzinfo=UTC))
    regulars = add_contacts(ctx, 3, time_zone="Europe/Paris")
    occasional = add_contacts(ctx, 2, time_zone="Europe/Paris")
    newcomers = add_contacts(ctx, 4, time_zone="Europe/Paris")
    _sessions_at(ctx, clock, regulars, utc_hour=18, days=6)
    _sessions_at(ctx, clock, occasional, utc_hour=18, days=2)
    found = best_time.preview(ctx, within_hours=24, fallback="10:00")
    assert (found.enough, found.little, found.none) == (3, 2, 4)
    assert len(found.per_hour) == 24 and sum(found.per_hour) == 9 + 0 * len(newcomers)
    assert found.per_hour[1] == 4  # 10:00 Paris is 09:00 UTC, the second hour from 08:00 UTC
    assert found.per_hour[10] == 5  # 19:00 Paris: the regulars, and the occasional ones shrunk to the same hour
    figure = best_time_figure([f"+{h} h" for h in range(24)], found.per_hour, "Contacts")
    assert list(figure.data[0].y) == found.per_hour
