"""Values the JSON codec cannot round-trip are refused at every edge, and rows written before that stay readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from app.audience import csv_import, segment_service
from app.authoring import service as journey_service
from app.delivery.settings_form import PolicyFormError, PolicyValues, policy_from_values
from app.engine.engine import Engine
from app.pages.builder.choices import load_choices
from journeys import document
from storage import partitions
from storage.db import Database
from storage.models import Contact, Event
from tests.conftest import run_cli
from tests.engine_support import add_contacts, publish
from tests.tracking_client import tracking_client

CONTACTS, EVENTS = Contact.__table__, Event.__table__
JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture
def api(server, settings) -> Any:
    key = run_cli("apikey", "create", "tests").stdout.strip()
    with httpx.Client(base_url=server.base_url + "/api/v1", auth=(key, ""), timeout=30) as client:
        yield client


def _events(settings) -> list[tuple[str, Any]]:
    db = Database(settings.database_url)
    try:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(EVENTS.c.name, EVENTS.c.properties).order_by(EVENTS.c.id))]
    finally:
        db.dispose()


def test_a_lone_surrogate_is_refused_naming_its_field_and_the_engine_still_advances(api, ctx, settings) -> None:
    journey_id = publish(ctx, "abandoned_cart")
    # The escape as a tracking library would send it: valid JSON text, but no Unicode character.
    body = '{"userId": "u1", "event": "Checkout Started", "properties": {"cart": {"note": "\\ud800"}}}'
    refused = api.post("/track", content=body, headers=JSON_HEADERS)
    assert refused.status_code == 400, refused.text
    assert [(e["index"], e["field"]) for e in refused.json()["errors"]] == [(0, "properties.cart.note")]
    assert "properties.cart.note: lone UTF-16 surrogate" in refused.json()["detail"]
    good = '{"userId": "u2", "event": "Checkout Started", "properties": {"note": "\\ud83c\\udf89 ok"}}'
    assert api.post("/track", content=good, headers=JSON_HEADERS).status_code == 200  # a pair is a character
    assert _events(settings) == [("Checkout Started", {"note": "🎉 ok"})]
    Engine(ctx).run()
    with ctx.db.engine.connect() as conn:
        entered = conn.execute(text("SELECT count(*) FROM enrollment WHERE journey_id = :j"), {"j": journey_id})
        assert (partitions.unconsumed_events(conn), entered.scalar()) == (0, 1)


def test_a_nan_trait_in_a_batch_refuses_that_message_naming_it_and_stores_the_others(api, settings) -> None:
    identify = '{"type": "identify", "userId": "u1", "traits": {"plan": "pro", "score": NaN}}'
    body = '{"batch": [{"type": "track", "userId": "u1", "event": "Opened"}, ' + identify + "]}"
    response = api.post("/batch", content=body, headers=JSON_HEADERS)
    assert response.status_code == 200, response.text
    (refused,) = response.json()["refused"]
    assert (refused["index"], refused["field"], refused["message"]) == (1, "traits.score", "NaN is not allowed")
    assert _events(settings) == [("Opened", {})]  # the good message beside it is kept


@pytest.mark.parametrize(
    ("properties", "field", "message"),
    [
        ('{"n": 18446744073709551616}', "properties.n", "integer does not fit in 64 bits"),
        ('{"x": -Infinity}', "properties.x", "Infinity is not allowed"),
        ('{"\\udc00key": 1}', "properties.\\udc00key", "lone UTF-16 surrogate in a key is not allowed"),
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "properties.a" + "[0]" * 31, "nesting deeper than 32 levels"),
        ('{"note": "a\\u0000b"}', "properties.note", "NUL character (\\u0000) is not allowed"),
    ],
)
def test_values_the_codec_cannot_hold_get_a_400_naming_the_field(ctx, properties, field, message) -> None:
    body = '{"userId": "u1", "event": "Odd", "properties": ' + properties + "}"
    with tracking_client(ctx) as api:
        response = api.post("/track", content=body, headers=JSON_HEADERS)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == field and error["message"].startswith(message)


def test_wide_floats_come_back_as_the_floats_they_were(api, settings) -> None:
    """PostgreSQL's jsonb writes 1e20 back as a 21-digit integer: it is read as the float it was, on both."""
    body = '{"userId": "u1", "event": "Odd", "properties": {"big": 1e20, "huge": -2.5e300, "small": 1.5e-7}}'
    assert api.post("/track", content=body, headers=JSON_HEADERS).status_code == 200
    ((_, properties),) = _events(settings)
    assert properties == {"big": 1e20, "huge": -2.5e300, "small": 1.5e-7}
    assert all(type(value) is float for value in properties.values())


def test_a_nul_in_a_message_id_refuses_that_message_and_stores_the_others(api, settings) -> None:
    """PostgreSQL cannot hold a NUL in text: the message is refused at the edge, naming its field."""
    body = '{"batch": [{"type": "track", "userId": "u1", "event": "Kept"}, '
    body += '{"type": "track", "userId": "u1", "event": "Odd", "messageId": "m\\u0000"}]}'
    response = api.post("/batch", content=body, headers=JSON_HEADERS)
    assert response.status_code == 200, response.text
    (refused,) = response.json()["refused"]
    assert (refused["index"], refused["field"]) == (1, "messageId")
    assert refused["message"] == "NUL character (\\u0000) is not allowed"
    assert _events(settings) == [("Kept", {})]


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:30:00+01:00", "1850-06-01T00:00:00Z", "2250-01-01T00:00:00Z"])
def test_timestamps_outside_the_documented_years_are_replaced_by_the_received_time(ctx, timestamp: str) -> None:
    with tracking_client(ctx) as api:
        response = api.post("/track", json={"userId": "u1", "event": "Old", "timestamp": timestamp})
    assert response.status_code == 200, response.text
    assert [w["field"] for w in response.json()["warnings"]] == ["timestamp"]
    with ctx.db.engine.connect() as conn:
        assert conn.execute(select(EVENTS.c.timestamp)).scalar() == ctx.clock.now()


@pytest.mark.sqlite_only  # jsonb refuses NaN: such a row cannot exist on PostgreSQL
def test_the_builder_lists_attributes_and_segments_save_with_a_nan_already_in_storage(ctx) -> None:
    (poisoned,) = add_contacts(ctx, 1)
    add_contacts(ctx, 1, attributes={"plan": "pro"})
    with ctx.db.engine.begin() as conn:  # as ingestion wrote a NaN trait before the edge check existed
        conn.execute(text("UPDATE contact SET attributes = :a WHERE id = :i"), {"a": '{"score": NaN}', "i": poisoned})
        conn.execute(
            text("UPDATE contact SET attributes = :a WHERE id = :i"), {"a": '{"\\ud800": 1}', "i": poisoned + 1}
        )
    add_contacts(ctx, 1, attributes={"plan": "pro"})
    assert load_choices(ctx).attributes == ["first_name", "plan"]
    segment_service.save_segment(
        ctx, name="Pro", condition={"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"}
    )
    with ctx.db.session() as session:
        members = session.execute(text("SELECT contact_id FROM segment_member")).scalars().all()
        assert members == [poisoned + 2]
        # The ORM reads the old row with the same codec instead of failing.
        assert session.get(Contact, poisoned).attributes["score"] != 0


def test_a_csv_number_beyond_64_bits_is_kept_as_its_text(ctx, tmp_path: Path) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("id,card,visits,odd\nc1,123456789012345678901234,12,NaN\n")
    mapping = csv_import.parse_mapping("external_id=id,attr.card=card,attr.visits=visits,attr.odd=odd")
    report = csv_import.import_file(ctx, str(file), mapping)
    assert (report.created, report.rejected) == (1, [])
    with ctx.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT attributes FROM contact")).scalar()
    stored = stored if isinstance(stored, dict) else json.loads(stored)  # jsonb arrives parsed
    assert stored == {"card": "123456789012345678901234", "visits": 12, "odd": "NaN"}


def test_a_csv_mapping_with_an_undecodable_attribute_name_is_refused_naming_it(tmp_path: Path) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("id,city\nc1,Paris\n")
    # A latin-1 terminal: the byte é reaches Python as a lone surrogate in argv.
    result = run_cli("contacts", "import", str(file), "--map", "external_id=id,attr.caf\udce9=city")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--map: attr.caf\\udce9: lone UTF-16 surrogate" in result.stderr


def _cart() -> dict[str, Any]:
    return json.loads((Path(__file__).parent.parent / "journeys/templates/abandoned_cart.json").read_text())


def test_cli_import_of_a_deeply_nested_file_names_the_place_without_a_traceback(tmp_path: Path) -> None:
    file = tmp_path / "deep.json"
    file.write_text('{"schema_version": 1, "name": "Deep",\n "graph": {"a": ' + "[" * 50_000 + "]" * 50_000 + "}}")
    result = run_cli("journey", "import", str(file))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "deep.json: line 2 column 47: nesting deeper than 32 levels is not allowed" in result.stderr


def test_cli_import_refuses_a_nan_node_position_naming_the_node(tmp_path: Path) -> None:
    doc = _cart()
    doc["nodes"][1]["position"] = {"x": float("nan"), "y": 0}
    file = tmp_path / "nan.json"
    file.write_text(json.dumps(doc))  # the standard library writes NaN, as some tools do
    result = run_cli("journey", "import", str(file))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nan.json: nodes[1].position.x: NaN is not allowed" in result.stderr
    assert run_cli("journey", "list").stdout.strip() == "no journeys yet"


def test_an_uploaded_document_over_the_connection_limit_is_refused_naming_it(ctx) -> None:
    doc = _cart()
    doc["edges"] = doc["edges"] * (document.MAX_EDGES // len(doc["edges"]) + 1)
    with pytest.raises(journey_service.DocumentError, match="^edges: List should have at most 10000 items"):
        journey_service.import_journey(ctx, json.dumps(doc).encode())  # what the import dialog calls
    with pytest.raises(journey_service.DocumentError, match=r"^nodes\[0\]\.position\.y: Infinity is not allowed"):
        doc = _cart()
        doc["nodes"][0]["position"]["y"] = float("inf")
        journey_service.import_journey(ctx, doc)


@pytest.mark.parametrize("typed", ["inf", "-Infinity", "nan", float("nan")])
def test_the_settings_form_refuses_non_finite_rates_with_a_form_error(typed: Any) -> None:
    values = PolicyValues(rate_limits={"onesignal": typed})
    with pytest.raises(PolicyFormError, match="onesignal"):
        policy_from_values(values)
