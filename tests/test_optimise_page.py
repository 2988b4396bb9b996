"""The analytics page of a journey with an optimised split: the shares by day as a chart and the decision in words."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from nicegui import ui
from nicegui.testing import User

from app.authoring import service as journey_service
from app.core.context import current
from journeys import document
from journeys.clock import FrozenClock
from storage import journeys as store
from tests.auth_helpers import login
from tests.engine_support import publish
from tests.funnel_support import experiment_doc, simulate
from tests.optimise_support import optimised_doc


def _journey(rates: dict[str, float], people: int) -> int:
    ctx = current()
    ctx.clock = FrozenClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    journey_id = publish(ctx, optimised_doc(name="Welcome series"))
    simulate(ctx, journey_id, people=people, rates=rates, seed=4, hours=24)
    return journey_id


def _chart(user: User) -> dict:
    panel = next(iter(user.find(marker="panel-optimise-split").elements))
    [plot] = [e for e in panel.descendants() if isinstance(e, ui.plotly)]
    return plot.figure.to_plotly_json()


async def test_the_page_explains_why_b_gets_most_entrants_and_charts_the_shares(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = _journey({"A": 0.02, "B": 0.25}, 1_200)
    await user.open(f"/journeys/{journey_id}/analytics")
    words = next(iter(user.find(marker="optimise-words-split").elements)).text
    assert words == "B gets 90% because it converts at 23.3% against 0.7% for A (probability best 100%)."
    await user.should_see("Shares now: A 10%, B 90%. Recomputed every 1 h from the goal conversions of each path.")
    figure = _chart(user)
    lines = {trace["name"]: trace["y"] for trace in figure["data"]}
    assert set(lines) == {"A", "B"}
    assert all(b > a for a, b in zip(lines["A"], lines["B"], strict=True))  # B took most entrants each day
    assert abs(lines["A"][0] + lines["B"][0] - 100) < 0.2


async def test_before_any_conversion_the_page_says_the_shares_are_equal_in_french(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = _journey({"A": 0.0, "B": 0.0}, 100)
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see(
        "Aucune conversion pour l'instant : chaque chemin reçoit 50% jusqu'aux premières conversions."
    )
    panel = next(iter(user.find(marker="panel-optimise-split").elements))
    titles = [e.text for e in panel.descendants() if isinstance(e, ui.label)]
    assert any(title.startswith("Test A/B optimisé : ") for title in titles), titles
    assert _chart(user)["data"][0]["name"] == "A"


async def test_the_api_refuses_a_minimum_share_too_high_with_422_naming_the_field(user: User) -> None:
    await login(user, "marketer")
    refused = await user.http_client.post("/api/v1/journeys", content=json.dumps(optimised_doc(min_share=60)))
    assert refused.status_code == 422
    texts = [v["text"] for v in refused.json()["violations"]]
    assert texts == ["node split: [invalid_config] min_share: Input should be less than or equal to 50"], texts


async def test_the_side_panel_turns_optimisation_on_with_its_minimum_share(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = journey_service.import_journey(current(), experiment_doc())
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="canvas").trigger("nodeSelected", {"id": "split"})
    await user.should_see("Optimise automatically")
    await user.should_see("Minimum share per path (%)")
    user.find(marker="field-optimise").elements.pop().set_value(True)
    user.find(marker="field-min_share").elements.pop().set_value(20)
    with current().db.session() as session:
        draft = document.parse(store.get_journey(session, journey_id=journey_id).draft)
    config = draft.node("split").config  # type: ignore[union-attr]
    assert config["optimise"] is True and config["min_share"] == 20
