"""Analytics page and dashboard in the browserless User fixture: numbers, live refresh, CSV, French."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.core.context import current
from app.engine.engine import Engine
from tests.auth_helpers import login
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import experiment_doc


def _start_journey(people: int, buyers: int) -> int:
    ctx = current()
    journey_id = publish(ctx, experiment_doc(name="Welcome series"))
    contacts = add_contacts(ctx, people)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    if buyers:
        track(ctx, contacts[:buyers], "purchase")
        Engine(ctx).run()
    return journey_id


def _table_rows(user: User, marker: str) -> list[dict]:
    """Rows of a panel's table view (switching a chart panel to its table first, as a user would)."""
    view = user.find(marker=marker.replace("-table", "-view")).elements if marker == "funnel-table" else set()
    for toggle in view:
        toggle.value = "table"
    table = next(iter(user.find(marker=marker).elements))
    assert isinstance(table, ui.table)
    return table.rows


async def test_analytics_page_shows_the_funnel_numbers(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = _start_journey(12, 4)
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see("Analytics: Welcome series")
    rows = _table_rows(user, "funnel-table")
    assert rows[0]["c0"] == "Entered the journey" and rows[0]["c1"] == 12
    await user.should_see("33.3%")
    # behind the A/B split each variant has its own rows: its email is its first message
    by_label = {r["c0"]: r["c1"] for r in rows}
    assert by_label["Converted · A"] + by_label["Converted · B"] == 4
    assert by_label["Message 1 · A"] + by_label["Message 1 · B"] == 12


async def test_analytics_panels_follow_new_entries_without_reload(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = _start_journey(5, 0)
    await user.open(f"/journeys/{journey_id}/analytics")
    assert _table_rows(user, "funnel-table")[0]["c1"] == 5
    track(current(), add_contacts(current(), 3), "signup")
    Engine(current()).run()
    next(iter(user.find(ui.timer).elements)).callback()
    assert _table_rows(user, "funnel-table")[0]["c1"] == 8


async def test_unknown_journey_analytics_says_so(user: User) -> None:
    await login(user, "marketer")
    await user.open("/journeys/999/analytics")
    await user.should_see("No journey with id 999.")


async def test_analytics_page_speaks_french(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = _start_journey(2, 1)
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see("Statistiques : Welcome series")
    await user.should_see("Entonnoir")
    assert _table_rows(user, "funnel-table")[0]["c0"] == "Entrés dans le parcours"


async def test_dashboard_lists_live_journeys_with_counts_and_filters_by_date(user: User) -> None:
    await login(user, "marketer")
    await user.open("/dashboard")
    await user.should_see("No live journey yet.")
    _start_journey(6, 2)
    await user.open("/dashboard")
    rows = _table_rows(user, "journeys-table")
    assert [r["c0"] for r in rows] == ["Welcome series"]
    assert (rows[0]["c1"], rows[0]["c3"], rows[0]["c4"]) == (6, 2, "33.3%")
    user.find(marker="date-from").elements.pop().value = "2001-01-01"
    user.find(marker="date-to").elements.pop().value = "2001-01-31"
    assert _table_rows(user, "journeys-table")[0]["c1"] == 0
    user.find(marker="date-from").elements.pop().value = "2001-02-01"
    await user.should_see("The start date must be before the end date.")


async def test_builder_canvas_shows_counts_and_links_to_analytics(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = _start_journey(4, 0)
    await user.open(f"/journeys/{journey_id}")
    canvas = next(iter(user.find(marker="canvas").elements))
    assert canvas.props["counts"] == {"wait": 4}  # everyone waits a day after the first email
    await user.should_see("Analytics")


async def test_winner_routing_is_shown_and_can_be_undone_from_the_analytics_page(user: User) -> None:
    from app.engine import experiments
    from storage import experiments as store

    await login(user, "marketer")
    await user.open("/")
    journey_id = _start_journey(3, 0)
    with current().db.engine.begin() as conn:
        store.add_route(conn, journey_id=journey_id, version_id=1, node_id="split", winner="B", now=0, summary="x")
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see("Winner: B. New entrants go to B since 1970-01-01 00:00.")
    user.find(marker=f"revert-{experiments.routes(current(), journey_id)[0].id}").click()
    await user.should_see("Winner routing undone; contacts are split again.")
    assert [r.active for r in experiments.routes(current(), journey_id)] == [False]


async def test_a_viewer_reads_the_dashboard_but_cannot_open_the_builder(user: User) -> None:
    await login(user, "viewer")
    await user.open("/dashboard")
    await user.should_see("Dashboard")
    await user.open("/journeys/1")
    await user.should_not_see(marker="canvas")
