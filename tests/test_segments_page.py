"""The segments page with the browserless User fixture: build a segment with pickers, see it counted."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import insert

from app.audience import segment_builder as sb
from app.core.context import current
from journeys.condition_values import parse_typed, show_typed
from storage import segments as store
from storage.models import Contact
from tests.auth_helpers import login


def add_contacts() -> None:
    ctx = current()
    now = ctx.clock.now()
    with ctx.db.session() as session:
        session.execute(
            insert(Contact.__table__),
            [
                {
                    "email": "gold@example.com",
                    "attributes": {"plan": "gold"},
                    "consent": {},
                    "created_at": now,
                    "updated_at": now,
                },
                {
                    "email": "free@example.com",
                    "attributes": {"plan": "free"},
                    "consent": {},
                    "created_at": now,
                    "updated_at": now,
                },
                {
                    "email": "<b>x</b>@example.com",
                    "attributes": {"plan": "gold"},
                    "consent": {},
                    "created_at": now,
                    "updated_at": now,
                },
            ],
        )


def sample_contacts(user: User) -> set[str]:
    (table,) = user.find(marker="sample").elements
    return {row["contact"] for row in table.rows}


async def set_value(user: User, marker: str, value: object) -> None:
    await user.should_see(marker=marker)  # a refresh lands on the next turn of the event loop
    (element,) = user.find(marker=marker).elements
    element.set_value(value)


async def test_building_a_segment_shows_a_live_count_and_sample_then_saves_it(user: User) -> None:
    await login(user, "marketer")
    await user.open("/segments")
    add_contacts()
    await user.open("/segments")
    await user.should_see("3 matching contacts")
    user.find(kind=ui.button, marker="add-condition").click()
    await set_value(user, "attribute", "plan")
    await set_value(user, "value", "Gold")
    await user.should_see("2 matching contacts")
    assert sample_contacts(user) == {"gold@example.com", "<b>x</b>@example.com"}
    await set_value(user, "op", "neq")
    await user.should_see("1 matching contacts")
    await set_value(user, "segment-name", "Not gold")
    user.find(kind=ui.button, marker="save").click()
    await user.should_see("Delete")
    assert user.notify.contains("Segment saved")
    with current().db.session() as session:
        saved = store.get_segment(session, name="Not gold")
    assert saved.condition["conditions"][0] == {"kind": "attribute", "attribute": "plan", "op": "neq", "value": "Gold"}


async def test_changing_the_kind_shows_its_pickers_and_bad_values_are_explained(user: User) -> None:
    await login(user, "marketer")
    await user.open("/segments")
    user.find(kind=ui.button, marker="add-condition").click()
    await set_value(user, "kind", "geofence")
    await user.should_see("Radius (m)")
    await set_value(user, "radius", -5)
    await user.should_see("Cannot count")
    await set_value(user, "radius", 500)
    await user.should_see("0 matching contacts")


async def test_saved_segments_are_listed_with_counts_and_open_in_the_builder(user: User) -> None:
    await login(user, "marketer")
    await user.open("/segments")
    add_contacts()
    with current().db.session() as session:
        tree = {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "free"}
        store.create_segment(session, name="Free plan", condition=tree, now=current().clock.now())
    await user.open("/segments")
    await user.should_see("Free plan")
    user.find("saved-segment").trigger("click")
    await user.should_see("1 matching contacts")
    assert sample_contacts(user) == {"free@example.com"}
    assert len(user.find(ui.select).elements) >= 2


def test_builder_values_are_typed_from_text() -> None:
    assert parse_typed("gold, 3, true", "in") == ["gold", 3, True]
    assert parse_typed("2.5", "gt") == 2.5
    assert parse_typed("2,5", "gt") == 2.5  # a French decimal comma, in segments and in journey branches alike
    assert parse_typed(" TRUE ", "eq") is True
    assert parse_typed("1,5,2", "eq") == "1,5,2"
    assert parse_typed("anything", "exists") is None
    assert show_typed(["gold", 3, True]) == "gold, 3, true"
    tree = {"kind": "group", "conditions": [{"kind": "attribute", "attribute": " ", "op": "eq", "value": 1}]}
    assert sb.prune(tree)["conditions"] == []
