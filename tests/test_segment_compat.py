"""What Segment's and RudderStack's libraries send, over the tracking router with the real database and clock.

Paths, keys, gzip, CORS, context traits, Segment's time correction and partial acceptance. The real client
libraries themselves are exercised in tests/test_sdk_clients.py.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from datetime import timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from app.tracking.payloads import MAX_BODY_BYTES
from storage.models import Contact, Event
from tests.tracking_client import tracking_client

CONTACTS, EVENTS = Contact.__table__, Event.__table__
TRACK = {"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"total": 12.5}}


def _rows(ctx: Any, query: Any) -> list[tuple[Any, ...]]:
    with ctx.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


@pytest.fixture
def api(ctx) -> Any:
    with tracking_client(ctx) as client:
        client.base_url = "http://testserver"
        yield client


@pytest.mark.parametrize("path", ["/v1/batch", "/v1/b", "/api/v1/batch"])
def test_segment_batch_paths_store_the_batch(api, ctx, path: str) -> None:
    response = api.post(path, json={"batch": [TRACK]})
    assert response.status_code == 200, response.text
    assert _rows(ctx, select(EVENTS.c.name)) == [("Order Completed",)]


@pytest.mark.parametrize(("path", "body"), [("/v1/track", TRACK), ("/v1/t", TRACK), ("/v1/p", {"userId": "u1"})])
def test_single_call_paths_and_their_short_forms(api, ctx, path: str, body: dict) -> None:
    assert api.post(path, json=body).json()["stored"] == 1


def test_a_browser_preflight_is_answered_for_any_origin_without_credentials(api) -> None:
    headers = {"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
    response = api.options("/v1/t", headers=headers)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


def test_a_text_plain_body_with_the_write_key_inside_is_stored(api, ctx) -> None:
    key = api.headers.pop("Authorization").removeprefix("Bearer ")
    body = orjson.dumps({**TRACK, "writeKey": key})
    response = api.post("/v1/t", content=body, headers={"Content-Type": "text/plain", "Origin": "https://a.example"})
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert len(_rows(ctx, select(EVENTS.c.id))) == 1


def test_the_write_key_as_basic_username(api, ctx) -> None:
    key = api.headers.pop("Authorization").removeprefix("Bearer ")
    basic = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    assert api.post("/v1/track", json=TRACK, headers={"Authorization": basic}).status_code == 200


@pytest.mark.parametrize("body_key", [None, "pk_not-a-real-key"])
def test_a_missing_or_wrong_key_gets_401_with_code_and_message(api, ctx, body_key: str | None) -> None:
    api.headers.pop("Authorization")
    response = api.post("/v1/batch", json={"batch": [TRACK], "writeKey": body_key})
    assert response.status_code == 401
    answer = response.json()
    assert answer["code"] == "unauthorized" and answer["message"] == answer["detail"] and "key" in answer["message"]
    assert _rows(ctx, select(EVENTS.c.id)) == []


def test_a_gzip_body_is_read(api, ctx) -> None:
    body = gzip.compress(orjson.dumps({"batch": [TRACK, {**TRACK, "userId": "u2"}]}))
    response = api.post("/v1/batch", content=body, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 2


def test_a_zip_bomb_is_refused_with_413_without_being_expanded(api, ctx) -> None:
    # 1 GiB of spaces after a valid start, compressed to about a megabyte: only the limit's worth is inflated.
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(b'{"batch": [' + orjson.dumps(TRACK) + b"]")]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(1024)]
    bomb = b"".join([*parts, packer.compress(b"}"), packer.flush()])
    assert len(bomb) < MAX_BODY_BYTES
    response = api.post("/v1/batch", content=bomb, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large" and "decompression" in response.json()["message"]
    assert _rows(ctx, select(EVENTS.c.id)) == []


def test_an_oversized_plain_body_gets_413_with_code_and_message(api) -> None:
    big = {**TRACK, "properties": {"blob": "x" * (MAX_BODY_BYTES + 1)}}
    response = api.post("/v1/track", json=big)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


def test_broken_gzip_gets_400(api) -> None:
    response = api.post("/v1/batch", content=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_request")


def test_a_client_clock_an_hour_fast_is_corrected_with_sent_at(api, ctx, clock) -> None:
    now = clock.now()
    ahead = now + timedelta(hours=1)
    happened = ahead - timedelta(minutes=5)  # five minutes before sending, on the client's clock
    batch = {"batch": [{**TRACK, "timestamp": happened.isoformat()}], "sentAt": ahead.isoformat()}
    response = api.post("/v1/batch", json=batch)
    assert response.status_code == 200 and response.json()["warnings"] == []
    assert _rows(ctx, select(EVENTS.c.timestamp)) == [(now - timedelta(minutes=5),)]


def test_original_timestamp_is_used_and_corrected_when_timestamp_is_absent(api, ctx, clock) -> None:
    now = clock.now()
    sent = now - timedelta(hours=2)  # a slow clock this time
    message = {**TRACK, "originalTimestamp": (sent - timedelta(seconds=30)).isoformat(), "sentAt": sent.isoformat()}
    assert api.post("/v1/track", json=message).status_code == 200
    assert _rows(ctx, select(EVENTS.c.timestamp)) == [(now - timedelta(seconds=30),)]


def test_a_far_future_time_without_sent_at_is_clamped_with_a_warning(api, ctx, clock) -> None:
    message = {**TRACK, "timestamp": (clock.now() + timedelta(days=3)).isoformat()}
    response = api.post("/v1/track", json=message)
    assert [(w["index"], w["field"]) for w in response.json()["warnings"]] == [(0, "timestamp")]
    assert _rows(ctx, select(EVENTS.c.timestamp)) == [(clock.now(),)]


def test_identify_traits_in_context_traits_are_kept_as_rudderstack_sends_them(api, ctx) -> None:
    identify = {
        "type": "identify",
        "userId": "u1",
        "context": {"traits": {"email": "Ann@Example.com", "plan": "pro", "userId": "u1"}},
        "traits": {"plan": "gold"},
    }
    track = {**TRACK, "context": {"traits": {"company": "Initech"}}}
    assert api.post("/v1/batch", json={"batch": [identify, track]}).json()["stored"] == 1
    assert _rows(ctx, select(CONTACTS.c.email, CONTACTS.c.attributes)) == [
        ("Ann@example.com", {"plan": "gold", "company": "Initech"})
    ]


def test_a_batch_with_bad_fields_and_a_refused_message_keeps_every_good_message(api, ctx) -> None:
    items = [{**TRACK, "messageId": f"m{i}"} for i in range(98)]
    items.insert(10, {"type": "identify", "userId": "u1", "traits": {"email": "", "phone": "n/a", "plan": "pro"}})
    items.insert(20, {"type": "track", "event": "No One"})  # cannot be attributed
    items.insert(30, {**TRACK, "messageId": "t", "context": {"timezone": "GMT+01:00"}, "timestamp": "soon"})
    response = api.post("/v1/batch", json={"batch": items})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["stored"] == 99
    assert [(w["index"], w["field"]) for w in answer["warnings"]] == [
        (10, "traits.email"),
        (10, "traits.phone"),
        (30, "timestamp"),
        (30, "context.timezone"),
    ]
    assert [(r["index"], r["field"]) for r in answer["refused"]] == [(20, "userId")]
    assert _rows(ctx, select(CONTACTS.c.attributes, CONTACTS.c.email)) == [({"plan": "pro"}, None)]


def test_a_batch_of_more_than_a_thousand_messages_is_accepted(api, ctx) -> None:
    items = [{"type": "track", "userId": f"u{i % 10}", "event": "E"} for i in range(2_500)]
    assert api.post("/v1/batch", json={"batch": items}).json()["stored"] == 2_500


def test_a_refused_single_call_gets_400_with_code_message_and_errors(api) -> None:
    response = api.post("/v1/track", json={"userId": "u1"})
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid_request" and answer["message"].startswith("event:")
    assert [(e["index"], e["field"]) for e in answer["errors"]] == [(0, "event")]


def test_a_message_naming_nobody_is_refused_alone_in_an_otherwise_valid_batch(api, ctx) -> None:
    answer = api.post("/v1/batch", json={"batch": [TRACK, {"type": "track", "event": "No One"}]}).json()
    assert answer["stored"] == 1
    assert [(r["index"], r["field"]) for r in answer["refused"]] == [(1, "userId")]
    single = api.post("/v1/track", json={"event": "No One"})
    assert single.status_code == 400 and single.json()["message"].startswith("userId:")


def test_numeric_ids_are_kept_as_text_and_a_time_without_zone_is_utc(api, ctx) -> None:
    message = {**TRACK, "userId": 42, "messageId": 7, "timestamp": "2026-01-05T08:00:00"}
    assert api.post("/v1/batch", json={"batch": [message]}).json()["stored"] == 1
    assert _rows(ctx, select(CONTACTS.c.external_id)) == [("42",)]
    stored = _rows(ctx, select(EVENTS.c.message_id, EVENTS.c.timestamp))
    assert [(mid, ts.isoformat()) for mid, ts in stored] == [("7", "2026-01-05T08:00:00+00:00")]
