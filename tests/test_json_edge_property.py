"""Generated hostile JSON through every tracking endpoint, then every reader: no 5xx, nothing unreadable stored.

Payloads mix ordinary values with what the JSON codec refuses (lone surrogates, NaN/Infinity, integers beyond
64 bits, nesting past the limit, timestamps far outside the documented years). They are sent as a tracking
library would: JSON text from the standard library, surrogates as ``\\ud800`` escapes, NaN as a bare token.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.audience import segment_service
from app.engine.engine import Engine
from app.pages.builder.choices import load_choices
from app.privacy import gdpr
from journeys import codec
from storage import partitions
from storage.models import Contact, Event
from tests.engine_support import publish
from tests.tracking_client import tracking_client

CONTACTS, EVENTS = Contact.__table__, Event.__table__
ODD_TEXT = ["\ud800", "a\udfffb", "\ud83d", "🎉", "Zoë", "", "x" * 300]
ODD_NUMBERS = [float("nan"), float("inf"), float("-inf"), 2**63, -(2**63) - 1, 2**70, 2**63 - 1, 19.99, 0]
TIMESTAMPS = ["2026-01-05T08:00:00Z", "0001-01-01T00:30:00+01:00", "1899-12-31T23:59:59Z", "2199-12-31T23:00:00Z"]


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(ODD_TEXT),
    st.sampled_from(ODD_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)
keys = st.one_of(st.sampled_from(["plan", "price", "email_ok", "note"]), st.text(max_size=6), st.sampled_from(ODD_TEXT))
values = st.one_of(
    st.recursive(
        leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3), max_leaves=8
    ),
    st.integers(min_value=28, max_value=36).map(_nested),
)
objects = st.dictionaries(keys, values, max_size=4)
people = st.fixed_dictionaries({"userId": st.sampled_from(["u1", "u2", "u3", "\ud800"])})


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["identify", "track", "page", "screen", "group", "alias"]))
    message: dict[str, Any] = {"type": kind, **draw(people)}
    if draw(st.booleans()):
        message["timestamp"] = draw(st.sampled_from(TIMESTAMPS))
    if draw(st.booleans()):
        message["context"] = draw(objects)
    if kind in {"identify", "group"}:
        message["traits"] = draw(objects)
    if kind == "group":
        message["groupId"] = draw(st.sampled_from(["acme", "\udc00"]))
    if kind == "track":
        message["event"] = draw(st.sampled_from(["Checkout Started", "Order Completed", "\ud800"]))
    if kind in {"track", "page", "screen"}:
        message["properties"] = draw(objects)
    if kind in {"page", "screen"}:
        message["name"] = draw(st.sampled_from(["Home", "\ud800"]))
    if kind == "alias":
        message["previousId"] = draw(st.sampled_from(["anon-1", "u2", "\ud800"]))
    return message


def _stored_json(ctx) -> list[str]:
    as_text = "::text" if ctx.db.postgres else ""  # the stored JSON as its text, as a reader receives it
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT properties{as_text} FROM event")).scalars().all()
        for attributes, consent in conn.execute(text(f"SELECT attributes{as_text}, consent{as_text} FROM contact")):
            rows += [attributes, consent]
        if not ctx.db.postgres:  # jsonb is always valid; SQLite's JSON1 must be able to read every row
            valid = conn.execute(text("SELECT count(*) FROM contact WHERE NOT json_valid(attributes)")).scalar()
            assert valid == 0, "SQLite's JSON functions read every stored attribute"
    return rows


def _readers_all_work(ctx) -> None:
    for stored in _stored_json(ctx):
        assert orjson.loads(stored) == codec.parse_stored(stored)  # the fast reader and the database reader agree
    Engine(ctx).run()
    with ctx.db.engine.connect() as conn:
        assert partitions.unconsumed_events(conn) == 0, "the engine's cursors passed every event"
        contact_ids = conn.execute(select(CONTACTS.c.id)).scalars().all()
        attributes = conn.execute(select(CONTACTS.c.attributes)).scalars().all()
    segment_service.reevaluate_segments(ctx, everything=True)
    assert load_choices(ctx).attributes == sorted({key for row in attributes for key in row})
    for contact_id in contact_ids:
        orjson.loads(codec.dumps(gdpr.export_contact(ctx, contact_id, actor="tests")))  # exports as JSON


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(messages(), min_size=1, max_size=4), single=st.booleans())
def test_generated_json_never_gets_a_server_error_nor_stores_what_a_reader_cannot_read(ctx, batch, single) -> None:
    if not getattr(ctx, "_property_setup", False):
        publish(ctx, "abandoned_cart")
        plan = {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"}
        segment_service.save_segment(ctx, name="Pro", condition=plan)
        ctx._property_setup = True  # once per test run, not per example
    with tracking_client(ctx) as api:
        requests = [(f"/{m['type']}", m) for m in batch] if single else [("/batch", {"batch": batch})]
        for path, payload in requests:
            body = json.dumps(payload)  # NaN as a bare token, surrogates as escapes: what libraries send
            response = api.post(path, content=body, headers={"Content-Type": "application/json"})
            assert response.status_code < 500, response.text
            if response.status_code == 400:
                assert response.json()["errors"], "a refusal names the message and field"
            codec.require(response.json())  # the answer itself is valid JSON text
    _readers_all_work(ctx)
