"""The holdout share as a journey setting: in the builder's settings panel and in journey JSON."""

from __future__ import annotations

import json

import pytest
from nicegui.testing import User

from journeys import document
from tests.auth_helpers import login
from tests.test_builder_page import draft, open_cart


async def open_settings(user: User) -> int:
    """Sign in, open the abandoned-cart journey in the builder and its settings panel."""
    await login(user, "marketer")
    journey_id = await open_cart(user)
    user.find(marker="journey-settings").elements.pop().set_value(True)
    await user.should_see("Holdout (% of entrants)")
    return journey_id


async def test_holdout_share_is_set_in_the_journey_settings_panel(user: User) -> None:
    journey_id = await open_settings(user)
    user.find(marker="field-holdout_percent").elements.pop().set_value(10)
    assert draft(journey_id)[0].settings.holdout_percent == 10


async def test_a_holdout_over_half_is_refused_naming_the_setting(user: User) -> None:
    journey_id = await open_settings(user)
    user.find(marker="field-holdout_percent").elements.pop().set_value(80)
    await user.should_see("Settings not saved: Holdout (% of entrants): Input should be less than or equal to 50")
    assert draft(journey_id)[0].settings.holdout_percent == 0


def test_holdout_in_journey_json_is_a_graph_level_setting_with_a_field_error() -> None:
    doc = {"schema_version": 1, "name": "x", "settings": {"holdout_percent": 10}, "nodes": [], "edges": []}
    assert document.parse(json.dumps(doc)).settings.holdout_percent == 10
    assert json.loads(document.dumps(document.parse(json.dumps(doc))))["settings"]["holdout_percent"] == 10
    with pytest.raises(document.DocumentError) as refused:
        document.parse(json.dumps({**doc, "settings": {"holdout_percent": 51}}))
    assert refused.value.location == "settings.holdout_percent"
