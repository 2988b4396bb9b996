"""A node type is one module: one defined in a single test file joins the palette, the validator, the engine,
the side panel and the translations once registered, and leaves them when unregistered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from nicegui.testing import User
from sqlalchemy import select

from app import i18n
from app.authoring import service as journey_service
from app.core.context import current
from app.pages.builder.tab import tr
from app.wording import explain, say
from components.canvas_view import palette
from components.journey_canvas import JourneyCanvas
from journeys import document, nodes
from journeys.validation import validate
from storage import journeys as store
from storage.models import Contact
from tests.auth_helpers import login
from tests.engine_support import add_contacts, counts, journey, publish, run, track
from tests.fixtures import node_type_stamp as stamp


def stamp_journey(text: str = "PAID", **config: str) -> dict:
    return journey(
        [("entry", "entry.event", {"event": "paid"}), ("stamp", stamp.TYPE, {"text": text, **config})]
        + [("done", "exit", {})],
        [("entry", "next", "stamp"), ("stamp", "next", "done")],
    )


@pytest.fixture
def stamp_type() -> Iterator[None]:
    i18n.tables()  # built before, so the stamp's texts come from the registry, not a stale cache after the test
    nodes.register(stamp.SPEC)
    yield
    nodes.unregister(stamp.TYPE)


def in_french(function, *args):  # noqa: ANN001, ANN202
    token = i18n.language.set("fr")
    try:
        return function(*args)
    finally:
        i18n.language.reset(token)


def test_every_node_type_says_the_same_things_in_english_and_french() -> None:
    for spec in nodes.REGISTRY.values():
        english = {"label", "description"} | set(spec.texts.get("en", {}))
        assert english == set(spec.texts.get("fr", {})), spec.type
        for field in spec.form:
            assert not field.label or field.label in english, (spec.type, field.label)
            assert all(not key or key in english for _value, key in field.options), spec.type


def test_the_package_registers_every_node_module_without_a_list() -> None:
    assert len(nodes.REGISTRY) == 20 and "wait.reply" in nodes.REGISTRY and stamp.TYPE not in nodes.REGISTRY
    with pytest.raises(ValueError, match="registered twice"):
        nodes.register(replace(stamp.SPEC, type="exit"))  # another spec claiming a taken type
    with pytest.raises(ValueError, match="says phrases another type says"):
        nodes.register(replace(stamp.SPEC, texts={"en": {"phrase.goal": "Goal: {goal}"}}))
    assert stamp.TYPE not in nodes.REGISTRY


def test_a_registered_type_is_in_the_palette_in_both_languages(stamp_type: None) -> None:
    entries = {item["type"]: item for item in palette(tr)}
    assert entries[stamp.TYPE]["label"] == "Stamp" and entries[stamp.TYPE]["categoryLabel"]
    types = [item["type"] for item in palette(tr)]
    assert types.index("goal") < types.index(stamp.TYPE) < types.index("exit")  # by its rank, among the actions
    french = {item["type"]: item for item in in_french(palette, tr)}
    assert french[stamp.TYPE]["label"] == "Tampon"
    assert french[stamp.TYPE]["description"] == "Tamponne le profil du contact."


def test_unregistering_takes_it_away_again(stamp_type: None) -> None:
    nodes.unregister(stamp.TYPE)
    assert stamp.TYPE not in {item["type"] for item in palette(tr)}
    codes = {v.code for v in validate(document.parse(stamp_journey()))}
    assert "unknown_type" in codes
    nodes.register(stamp.SPEC)  # the fixture takes it away once more


def test_a_bad_stamp_is_a_problem_on_its_node_said_in_the_readers_words(stamp_type: None) -> None:
    assert validate(document.parse(stamp_journey())) == []
    missing = [v for v in validate(document.parse(stamp_journey(""))) if v.node_id == "stamp"]
    assert [v.code for v in missing] == ["invalid_config"]
    assert explain(missing[0]) == "Write what the stamp says"
    assert in_french(explain, missing[0]) == "Écrivez ce que dit le tampon"
    void = [v for v in validate(document.parse(stamp_journey("void"))) if v.node_id == "stamp"]
    assert [v.code for v in void] == ["invalid_config"]
    assert in_french(explain, void[0]) == "Écrivez ce que dit le tampon"
    wrong_ink = [v for v in validate(document.parse(stamp_journey(ink="green"))) if v.node_id == "stamp"]
    assert [v.code for v in wrong_ink] == ["invalid_config"]


def test_its_summary_is_said_in_each_language(stamp_type: None) -> None:
    phrase = stamp.SPEC.phrase(stamp.Config(text="PAID", ink="blue"))  # type: ignore[misc]
    assert say(phrase) == "Stamp PAID in blue"
    assert in_french(say, phrase) == "Tamponner PAID en blue"


def test_a_contact_walks_through_it_in_the_engine(ctx, stamp_type: None) -> None:  # noqa: ANN001
    first, second = add_contacts(ctx, 2)
    journey_id = publish(ctx, stamp_journey("PAID", ink="blue"))
    track(ctx, [first], "paid")
    run(ctx)
    with ctx.db.engine.connect() as conn:
        rows = dict(conn.execute(select(Contact.__table__.c.id, Contact.__table__.c.attributes)).all())
    assert rows[first]["stamp"] == "blue:PAID" and "stamp" not in rows[second]
    assert counts(ctx, journey_id)[("stamp", "stamped", "PAID")] == 1
    assert counts(ctx, journey_id)[("done", "exited", "completed")] == 1


async def test_its_side_panel_form_is_drawn_from_its_description(user: User, stamp_type: None) -> None:
    await login(user, "marketer")
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await user.open("/")
    journey_id = journey_service.import_journey(current(), stamp_journey("PAID"))
    await user.open(f"/journeys/{journey_id}")
    (canvas,) = user.find(marker="canvas").elements
    assert isinstance(canvas, JourneyCanvas)
    assert any(item["type"] == stamp.TYPE and item["label"] == "Tampon" for item in canvas.props["palette"])
    user.find(marker="canvas").trigger("nodeSelected", {"id": "stamp"})
    await user.should_see("Texte du tampon")
    await user.should_see("Encre")
    user.find(marker="field-text").clear().type("REFUNDED")
    user.find(marker="field-ink").elements.pop().set_value("blue")
    with current().db.session() as session:
        draft = document.parse(store.get_journey(session, journey_id=journey_id).draft)
    assert draft.node("stamp").config == {"text": "REFUNDED", "ink": "blue"}  # type: ignore[union-attr]
