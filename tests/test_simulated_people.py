"""The simulated population with a hidden truth: deterministic, its events follow the hidden hours and
propensity, its answers to messages follow the hidden hours, and ``python main.py simulate`` sends it through the
real ingestion path."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.simulation.people import HOURS_OF_WEEK, SimulatedAudience, open_chance
from storage.models import Contact, Event
from tests.conftest import run_cli

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday


def test_same_seed_gives_the_same_people_and_events_however_the_range_is_cut() -> None:
    one, two = SimulatedAudience(40, seed=3), SimulatedAudience(40, seed=3)
    assert one.people == two.people
    end = START + timedelta(days=5)
    whole = one.events(START, end)
    cuts = [START, START + timedelta(hours=7, minutes=13), START + timedelta(days=2, seconds=5), end]
    pieces = [e for a, b in zip(cuts, cuts[1:], strict=False) for e in two.events(a, b)]
    assert whole == pieces and len(whole) > 100
    assert SimulatedAudience(40, seed=4).events(START, end) != whole
    stamps = [e["timestamp"] for e in whole]
    assert stamps == sorted(stamps)
    assert len({e["messageId"] for e in whole}) == len(whole)


def test_people_have_their_own_hours_time_zones_and_consent() -> None:
    audience = SimulatedAudience(600, seed=1)
    peaks = Counter(max(range(HOURS_OF_WEEK), key=p.active.__getitem__) % 24 for p in audience.people)
    assert len(peaks) >= 8  # morning people, lunch people, night owls...
    zones = Counter(p.timezone for p in audience.people)
    assert len(zones) >= 8 and zones.most_common(1)[0][1] < 300
    calls = audience.identify_calls()
    assert calls[0]["traits"]["timezone"] == audience.people[0].timezone
    assert 0.8 < sum(c["traits"]["consent"]["push"] for c in calls) / 600 < 0.97


def test_sessions_happen_at_the_hidden_active_hours() -> None:
    audience = SimulatedAudience(300, seed=5)
    events = audience.events(START, START + timedelta(days=28))
    in_top, total = 0, 0
    for event in events:
        if event["event"] != "Application Opened":
            continue
        person = audience.by_id[event["userId"]]
        hour = person.local_hour_of_week(datetime.fromisoformat(event["timestamp"]))
        top = sorted(range(HOURS_OF_WEEK), key=person.active.__getitem__, reverse=True)[:24]
        in_top += hour in top
        total += 1
    assert total > 1000 and in_top / total > 0.6  # a seventh of the week holds most sessions


def test_orders_follow_the_hidden_propensity() -> None:
    audience = SimulatedAudience(2000, seed=9)
    buyers = {
        e["userId"] for e in audience.events(START, START + timedelta(days=14)) if e["event"] == "Order Completed"
    }
    ranked = sorted(audience.people, key=lambda p: p.propensity)
    low, high = ranked[:500], ranked[-500:]
    low_rate = sum(p.user_id in buyers for p in low) / 500
    high_rate = sum(p.user_id in buyers for p in high) / 500
    assert high_rate > 3 * low_rate
    assert abs(len(buyers) / 2000 - statistics.mean(p.propensity for p in audience.people)) < 0.04


def test_respond_is_deterministic_and_opens_follow_the_hidden_hours() -> None:
    audience = SimulatedAudience(400, seed=2)
    person = audience.people[0]
    sent = START + timedelta(hours=30)
    assert audience.respond(person.user_id, "push", sent) == audience.respond(person.user_id, "push", sent)
    best_rate, worst_rate = [], []
    for p in audience.people:
        hours = [START + timedelta(hours=h) for h in range(HOURS_OF_WEEK)]
        best = max(hours, key=lambda at: open_chance(p, "push", at))
        worst = min(hours, key=lambda at: open_chance(p, "push", at))
        # Several sends on different weeks at the same local hour.
        best_rate += [
            audience.respond(p.user_id, "push", best + timedelta(weeks=w)).opened_at is not None for w in range(3)
        ]
        worst_rate += [
            audience.respond(p.user_id, "push", worst + timedelta(weeks=w)).opened_at is not None for w in range(3)
        ]
    assert statistics.mean(best_rate) > 0.3 and statistics.mean(worst_rate) < 0.05
    opened = [audience.respond(p.user_id, "email", sent) for p in audience.people]
    assert all(r.opened_at is None or sent <= r.opened_at <= sent + timedelta(hours=3) for r in opened)


def _counts(ctx) -> tuple[int, int, Counter]:
    with ctx.db.engine.connect() as conn:
        contacts = conn.execute(select(func.count()).select_from(Contact.__table__)).scalar_one()
        names = Counter(r.name for r in conn.execute(select(Event.__table__.c.name)))
        zones = conn.execute(select(func.count()).where(Contact.__table__.c.time_zone.is_not(None))).scalar_one()
    return contacts, zones, names


def test_simulate_command_sends_people_and_events_through_the_tracking_api(ctx, server) -> None:
    key = run_cli("apikey", "create", "simulator").stdout.strip()
    done = run_cli(
        "simulate", "--contacts", "30", "--days", "3", "--seed", "4", "--url", server.base_url, "--write-key", key
    )
    assert done.returncode == 0, done.stderr
    assert "100%" in done.stdout
    contacts, zones, names = _counts(ctx)
    expected = SimulatedAudience(30, seed=4)
    assert contacts == 30 and zones == 30
    assert names["Application Opened"] > 10 and names["Product Viewed"] > names["Application Opened"]
    again = run_cli(
        "simulate", "--contacts", "30", "--days", "3", "--seed", "4", "--url", server.base_url, "--write-key", key
    )
    assert again.returncode == 0 and _counts(ctx)[0] == len(expected.people)


def test_simulate_command_says_what_is_wrong_in_one_line(ctx, server) -> None:
    bad = run_cli("simulate", "--contacts", "0", "--days", "3", "--url", server.base_url, "--write-key", "k")
    assert bad.returncode == 1 and bad.stderr.strip() == "error: --contacts: must be between 1 and 1,000,000"
    wrong_key = run_cli("simulate", "--contacts", "2", "--days", "1", "--url", server.base_url, "--write-key", "nope")
    assert wrong_key.returncode == 1 and "write key was refused" in wrong_key.stderr
    down = run_cli("simulate", "--contacts", "2", "--days", "1", "--url", "http://127.0.0.1:9", "--write-key", "k")
    assert down.returncode == 1 and "cannot reach the server" in down.stderr and "Traceback" not in down.stderr
    url = run_cli("simulate", "--contacts", "2", "--days", "1", "--url", "ftp://x", "--write-key", "k")
    assert url.returncode == 1 and "--url" in url.stderr
