"""What a manager reads on the analytics page and the dashboard, on a real database driven by the real engine.

Step names instead of ids, the entry's count, no stray legend, readable time axes, "no data yet", skip reasons
in words with the page that fixes them, "—" without a goal, and A/B verdicts in words.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from nicegui import ElementFilter, ui
from nicegui.testing import User

from app.core.context import current
from app.engine.engine import Engine
from journeys.clock import FrozenClock
from tests.auth_helpers import login
from tests.engine_support import add_contacts, journey, publish, track
from tests.funnel_support import experiment_doc

GOAL = {"event": "order_completed", "window": {"amount": 1, "unit": "days"}, "exit_on_goal": False}


def cart_doc(*, goal: bool = True, sms_name: str = "") -> dict:
    """checkout_started -> wait 1 hour -> SMS -> exit, as the abandoned-cart journey starts."""
    sms: dict[str, Any] = {"body": "Your cart misses you"}
    doc = journey(
        [
            ("entry", "entry.event", {"event": "checkout_started"}),
            ("wait_1h", "wait.duration", {"duration": {"amount": 1, "unit": "hours"}}),
            ("sms", "message.sms", sms),
            ("done", "exit", {}),
        ],
        [("entry", "next", "wait_1h"), ("wait_1h", "next", "sms"), ("sms", "next", "done")],
        name="Abandoned cart",
        **({"goal": GOAL} if goal else {}),
    )
    if sms_name:
        doc["nodes"][2]["name"] = sms_name
    return doc


def frozen(when: datetime) -> FrozenClock:
    clock = FrozenClock(when)
    current().clock = clock
    return clock


def enter(people: int, *, event: str = "checkout_started", **fields: Any) -> list[int]:
    ctx = current()
    contacts = add_contacts(ctx, people, **fields)
    track(ctx, contacts, event)
    Engine(ctx).run()
    return contacts


def one(user: User, marker: str) -> Any:
    """The element with this marker, shown or hidden (a panel's table stays in the page while hidden)."""
    with user.client:
        return next(iter(ElementFilter(marker=marker, local_scope=False)))


def rows(user: User, marker: str) -> list[dict]:
    table = one(user, marker)
    assert isinstance(table, ui.table)
    return table.rows


def figure(user: User, marker: str) -> dict:
    """The figure exactly as it is sent to the browser."""
    return one(user, marker).props["options"]


def shows_chart(user: User, panel: str) -> bool:
    """Whether the panel's chart takes room on the page (an empty one is collapsed, its axes unseen)."""
    return "invisible" not in one(user, f"{panel}-chart-box").classes


def tick(user: User) -> None:
    """One refresh of the page's live timer, as a second passing would do."""
    for timer in user.find(ui.timer).elements:
        timer.callback()


async def open_analytics(user: User, doc: dict) -> int:
    await login(user, "marketer")
    await user.open("/")
    journey_id = publish(current(), doc)
    return journey_id


async def test_steps_table_names_steps_as_the_canvas_does_and_the_entry_counts_who_entered(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc())
    enter(3)
    await user.open(f"/journeys/{journey_id}/analytics")
    steps = {r["c0"]: r for r in rows(user, "nodes-table")}
    assert list(steps) == ["Event trigger · When checkout_started happens", "Wait 1 hour"]
    assert steps["Event trigger · When checkout_started happens"]["c1"] == 3  # "Reached", not 0
    assert steps["Wait 1 hour"]["c1"] == 3
    assert [r["tip"] for r in rows(user, "nodes-table")] == ["entry", "wait_1h"]  # the id is the tooltip
    assert "wait_1h" not in {r["c0"] for r in rows(user, "nodes-table")}


async def test_funnel_has_no_stray_legend_and_step_names_stay_plain_text(user: User) -> None:
    clock = frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc(sms_name='<b>Cart</b> & <a href="javascript:x">co</a>'))
    enter(4)
    clock.advance(timedelta(hours=1, minutes=1))
    Engine(current()).run()
    await user.open(f"/journeys/{journey_id}/analytics")
    fig = figure(user, "funnel-chart")
    assert fig["layout"]["showlegend"] is False
    assert "trace 0" not in str(fig)
    labels = fig["data"][0]["y"]
    assert labels[0] == "Entered the journey" and labels[-1] == "Converted"
    # Plotly reads <b>, <a> and entities in labels as markup: the name arrives escaped, shown as typed
    assert (
        labels[1]
        == '&lt;b&gt;Cart&lt;/b&gt; &amp; &lt;a href="javascript:x"&gt;co&lt;/a&gt; · SMS: Your cart misses you'
    )
    assert fig["data"][0]["x"] == [4, 4, 0]
    series = figure(user, "conversion-chart")
    assert series["layout"]["showlegend"] is True  # two lines, each named
    assert [d["name"] for d in series["data"]] == ["Entered", "Converted"]


async def test_time_axis_is_by_hour_for_a_day_and_by_day_for_longer_with_readable_labels(user: User) -> None:
    clock = frozen(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc())
    for _day in range(10):  # two people a day from 24 Nov to 3 Dec
        enter(2)
        clock.advance(timedelta(days=1))
    clock.set(datetime(2026, 12, 3, 14, 20, tzinfo=UTC))
    enter(1)
    await user.open(f"/journeys/{journey_id}/analytics")
    by_day = figure(user, "conversion-chart")
    assert by_day["layout"]["xaxis"]["type"] == "category"
    assert by_day["data"][0]["x"][0] == "24 Nov" and by_day["data"][0]["x"][-1] == "3 Dec"
    assert by_day["data"][0]["y"] == [2] * 9 + [3]
    assert [c["label"] for c in one(user, "conversion-table").columns][0] == "By day (UTC)"

    one(user, "range").value = "day"
    by_hour = figure(user, "conversion-chart")["data"][0]
    assert len(by_hour["x"]) == 24
    assert by_hour["x"][0] == "15:00" and by_hour["x"][-1] == "14:00"
    assert by_hour["y"][-1] == 1 and by_hour["y"][-5] == 2  # 10:00 today: the two of the morning
    assert [c["label"] for c in one(user, "conversion-table").columns][0] == "By hour (UTC)"
    for label in by_day["data"][0]["x"] + by_hour["x"]:
        assert not re.search(r"\d\d:\d\d:\d\d|\.\d", label), label


async def test_panels_without_numbers_say_no_data_yet_instead_of_empty_axes(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc())
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see("No data yet: nobody has entered this journey in this period.")
    await user.should_see("No data yet: no message was sent on any channel in this period.")
    await user.should_see("No data yet: entries and conversions appear here as they happen.")
    assert not shows_chart(user, "channels") and not shows_chart(user, "funnel")

    enter(2)  # they wait an hour: entries exist, still no message
    tick(user)
    assert shows_chart(user, "funnel") and not one(user, "funnel-empty").visible
    assert one(user, "channels-empty").visible and not shows_chart(user, "channels")


async def test_skip_reasons_read_as_words_with_a_link_to_the_fix(user: User) -> None:
    clock = frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc())
    enter(3, consent={})  # created by identify: no consent recorded on any channel
    enter(1, phone=None)
    clock.advance(timedelta(hours=2))
    Engine(current()).run()
    await user.open(f"/journeys/{journey_id}/analytics")
    reasons = rows(user, "skipped-table")
    assert [(r["c0"], r["c1"], r["c2"], r["href"]) for r in reasons] == [
        ("No consent for this channel", 3, "Review the consent policy in Settings", "/settings"),
        ("No email address, phone number or app user for this channel", 1, "Complete the contacts", "/contacts"),
    ]
    assert "no_consent" not in str(reasons)


async def test_skip_reasons_and_axes_speak_french(user: User) -> None:
    clock = frozen(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc())
    enter(1)
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    enter(2, consent={})
    clock.advance(timedelta(hours=2))
    Engine(current()).run()
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await user.open(f"/journeys/{journey_id}/analytics")
    assert rows(user, "skipped-table")[0]["c0"] == "Pas de consentement pour ce canal"
    assert figure(user, "conversion-chart")["data"][0]["x"] == ["30 nov.", "1 déc.", "2 déc.", "3 déc."]
    assert one(user, "conversion-table").columns[0]["label"] == "Par jour (UTC)"
    assert rows(user, "skipped-table")[0]["c2"] == "Revoir la règle de consentement dans les Paramètres"


async def test_without_a_goal_the_conversion_reads_a_dash_not_zero_percent(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, cart_doc(goal=False))
    enter(3)
    await user.open(f"/journeys/{journey_id}/analytics")
    assert one(user, "rate-conversion").text == "—"
    assert one(user, "kpi-converted").text == "—"
    await user.should_see("No goal is set for this journey, so there is no conversion rate.")
    assert "Converted" not in [r["c0"] for r in rows(user, "funnel-table")]
    await user.should_not_see("0.0%")

    await user.open("/dashboard")
    journeys = rows(user, "journeys-table")
    assert (journeys[0]["c0"], journeys[0]["c1"], journeys[0]["c3"], journeys[0]["c4"]) == (
        "Abandoned cart",
        3,
        "—",
        "—",
    )


async def test_a_b_panel_says_not_enough_data_yet_until_the_minimum_sample(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, experiment_doc(name="Welcome series", min_sample=200))
    enter(6, event="signup")
    await user.open(f"/journeys/{journey_id}/analytics")
    verdicts = [label.text for label in user.find(marker="verdict").elements]
    assert len(verdicts) == 1
    assert re.fullmatch(
        r"Variant B against A: not enough data yet \(\d of 200 contacts in the smaller group\)\.", verdicts[0]
    )
    assert "Experiment: A/B split · A 50% / B 50%" in [
        e.text for e in user.find(ui.label).elements if e.text.startswith("Experiment")
    ]
