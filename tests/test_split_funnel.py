"""The funnel of a journey with an A/B split: the steps before it once, then one series per variant, side by side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from app.analytics import funnels
from app.analytics.split_funnel import split_funnel
from app.core.context import AppContext, current
from app.engine.engine import Engine
from storage import funnel_queries as q
from tests.engine_support import journey, publish
from tests.test_analytics_glance import cart_doc, enter, figure, frozen, open_analytics, rows

EMAIL = {"subject": "Hello", "body": "<p>Hi</p>"}


def welcome_doc() -> dict:
    """signup -> welcome push -> split (A: one email, B: email then SMS, C: control) -> a shared push -> exit."""
    split = {
        "variants": [
            {"port": "A", "name": "Short <b>& sweet</b>", "weight": 40},
            {"port": "B", "name": "Two touches", "weight": 40},
            {"port": "C", "name": "Holdout", "weight": 20, "control": True},
        ]
    }
    doc = journey(
        [
            ("entry", "entry.event", {"event": "signup"}),
            ("welcome", "message.push", {"title": "Hi", "body": "Welcome"}),
            ("split", "split", split),
            ("mail_a", "message.email", EMAIL),
            ("mail_b", "message.email", {**EMAIL, "subject": "Hello B"}),
            ("sms_b", "message.sms", {"body": "Still there?"}),
            ("wait", "wait.duration", {"duration": {"amount": 1, "unit": "days"}}),
            ("last", "message.push", {"title": "Bye", "body": "Last one"}),
            ("done", "exit", {}),
        ],
        [
            ("entry", "next", "welcome"),
            ("welcome", "next", "split"),
            ("split", "A", "mail_a"),
            ("split", "B", "mail_b"),
            ("split", "C", "wait"),
            ("mail_a", "next", "wait"),
            ("mail_b", "next", "sms_b"),
            ("sms_b", "next", "wait"),
            ("wait", "next", "last"),
            ("last", "next", "done"),
        ],
        goal={"event": "purchase", "window": {"amount": 7, "unit": "days"}, "exit_on_goal": False},
    )
    return doc


def cells(table: dict[str, dict[str, dict[str, int]]]) -> list[q.Cell]:
    """Counters as the buckets hold them, from node -> metric -> variant -> count."""
    found = []
    for node, metrics in table.items():
        for metric, by_variant in metrics.items():
            for variant, count in by_variant.items():
                reason = variant if metric == "assigned" else ""  # a split files its assignments by reason
                found.append(q.Cell(1, node, variant, "", metric, reason, count))
    return found


KNOWN = cells(
    {
        "entry": {"enrolled": {"": 100}},
        "welcome": {"messaged": {"": 98}, "opened": {"": 30}},
        "split": {"assigned": {"A": 40, "B": 40, "C": 20}},
        "mail_a": {"messaged": {"A": 39}, "opened": {"A": 20}, "clicked": {"A": 8}, "converted": {"A": 6}},
        "mail_b": {"messaged": {"B": 38}, "opened": {"B": 15}},
        "sms_b": {"messaged": {"B": 36}, "clicked": {"B": 5}, "converted": {"B": 9}},
        # the step the paths share after they join: counted for each variant apart
        "last": {"messaged": {"A": 35, "B": 30, "C": 19}, "opened": {"A": 4}, "converted": {"A": 2, "C": 1}},
    }
)


def build(doc: dict, cells: list[q.Cell]) -> funnels.SplitFunnel | None:
    ordered = funnels.ordered_nodes(doc)
    totals, nodes, _skipped, _channels = funnels._aggregate(cells)
    return split_funnel(doc, ordered, funnels.funnel_steps(doc, totals, nodes), cells, funnels.has_goal(doc))


def test_each_variant_gets_its_own_series_by_depth_after_the_steps_before_the_split() -> None:
    found = build(welcome_doc(), KNOWN)
    assert found is not None and found.split_id == "split"
    assert [(s.key, s.count) for s in found.before] == [("entry", 100), ("welcome", 98)]
    assert found.stages == ["assigned", "message", "message", "message", "opened", "clicked", "converted"]
    series = {s.port: s for s in found.variants}
    assert [s.name for s in found.variants] == ["Short <b>& sweet</b>", "Two touches", "Holdout"]
    # assigned, message 1, 2, 3, opened (its messages), clicked, converted
    assert series["A"].counts == [40, 39, 35, 0, 24, 8, 8]
    assert series["B"].counts == [40, 38, 36, 30, 15, 5, 9]
    assert series["C"].counts == [20, 19, 0, 0, 0, 0, 1]
    assert series["C"].control and not series["A"].control
    assert series["B"].steps == ["split", "mail_b", "sms_b", "last", "", "", ""]


def test_without_opens_or_clicks_or_a_goal_those_stages_are_left_out() -> None:
    doc = welcome_doc() | {"goal": None}
    quiet = [c for c in KNOWN if c.metric not in {"opened", "clicked", "converted"}]
    found = build(doc, quiet)
    assert found is not None and found.stages == ["assigned", "message", "message", "message"]


def test_a_journey_without_a_split_keeps_its_linear_funnel(ctx: AppContext) -> None:
    doc = cart_doc()
    assert build(doc, cells({"entry": {"enrolled": {"": 5}}, "sms": {"messaged": {"": 4}}})) is None
    unfinished = welcome_doc()
    unfinished["nodes"][2]["config"] = {"variants": [{"weight": 50}]}  # a draft's split with no port yet
    assert build(unfinished, KNOWN) is None
    journey_id = publish(ctx, doc)
    view = funnels.journey_analytics(ctx, journey_id)
    assert view.split is None
    assert [s.key for s in view.steps] == ["entry", "sms", "conversion"]


async def test_analytics_funnel_draws_one_trace_per_variant_beside_each_other(user: User) -> None:
    clock = frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, welcome_doc())
    contacts = enter(30, event="signup")
    clock.advance(timedelta(days=1, minutes=1))
    Engine(current()).run()
    await user.open(f"/journeys/{journey_id}/analytics")
    fig = figure(user, "funnel-chart")
    assert fig["layout"]["funnelmode"] == "group" and fig["layout"]["showlegend"] is True
    names = [d["name"] for d in fig["data"]]
    assert names == ["All contacts", "Short &lt;b&gt;&amp; sweet&lt;/b&gt;", "Two touches", "Holdout (control)"]
    shared, *variants = fig["data"]
    assert shared["y"] == ["Entered the journey", "Push: Welcome"] and shared["x"] == [30, 30]
    assert all(v["y"] == ["In the variant", "Message 1", "Message 2", "Message 3", "Converted"] for v in variants)
    assigned = [v["x"][0] for v in variants]
    assert sum(assigned) == len(contacts) and all(assigned)
    first = variants[0]["x"]  # variant A: its email, then the push every path ends with, no third message
    assert first[1:4] == [first[0], first[0], 0]
    table = [r["c0"] for r in rows(user, "funnel-table")]
    assert "Message 2 · Two touches" in table and "In the variant · Holdout (control)" in table
