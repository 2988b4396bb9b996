"""The tracking API over real HTTP on loopback, with Segment-shaped payloads written by hand."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from storage import api_keys
from storage.db import Database
from storage.models import Contact, Event
from tests.conftest import run_cli

CONTACTS, EVENTS = Contact.__table__, Event.__table__


@pytest.fixture
def api(server, settings) -> Any:
    created = run_cli("apikey", "create", "tests")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    client = httpx.Client(base_url=server.base_url + "/api/v1", auth=(key, ""), timeout=30)
    client.key = key  # type: ignore[attr-defined]
    client.db = Database(settings.database_url)  # type: ignore[attr-defined]
    yield client
    client.close()
    client.db.dispose()  # type: ignore[attr-defined]


def rows(api: Any, query: Any) -> list[Any]:
    with api.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


TOKEN = "ff15bc0c20c4aa6cd50854ff165fd265c838e5405bfeb9571066395b8c9da449"
IDENTIFY = {
    "type": "identify",
    "userId": "97980cfea0067",
    "traits": {
        "name": "Peter Gibbons",
        "email": "Peter@Example.com",
        "phone": "06 12 34 56 78",
        "timezone": "Europe/Paris",
        "plan": "premium",
        "logins": 5,
    },
    "context": {
        "ip": "8.8.8.8",
        "device": {
            "manufacturer": "Apple",
            "model": "iPhone15,2",
            "type": "ios",
            "token": "ff15bc0c20c4aa6cd50854ff165fd265c838e5405bfeb9571066395b8c9da449",
        },
        "location": {"latitude": 48.8566, "longitude": 2.3522},
        "locale": "fr-FR",
    },
    "timestamp": "2026-01-05T08:00:00.000Z",
    "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
}
TRACK = {
    "type": "track",
    "userId": "97980cfea0067",
    "event": "Order Completed",
    "properties": {"order_id": "50314b8e9bcf000000000000", "total": 27.5, "currency": "EUR"},
    "timestamp": "2026-01-05T08:05:00.000Z",
    "messageId": "ajs-next-69b7f9a8a24e37b7e4b1b6ae8d7a0cbd",
}


def test_identify_then_track_stores_a_normalised_contact_and_its_event(api) -> None:
    assert api.post("/identify", json=IDENTIFY).status_code == 200
    response = api.post("/track", json=TRACK)
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 1
    (contact,) = rows(
        api,
        select(
            CONTACTS.c.id,
            CONTACTS.c.email,
            CONTACTS.c.phone,
            CONTACTS.c.time_zone,
            CONTACTS.c.platform,
            CONTACTS.c.lat,
            CONTACTS.c.attributes,
            CONTACTS.c.push_id,
            CONTACTS.c.locale,
        ),
    )
    assert contact[1:6] == ("Peter@example.com", "+33612345678", "Europe/Paris", "ios", 48.8566)
    assert contact[6] == {"name": "Peter Gibbons", "plan": "premium", "logins": 5}
    assert contact[7].startswith("ff15bc") and contact[8] == "fr-FR"
    assert rows(api, select(EVENTS.c.contact_id, EVENTS.c.name, EVENTS.c.properties)) == [
        (contact[0], "Order Completed", TRACK["properties"])
    ]


def test_a_retried_message_id_is_stored_once(api) -> None:
    assert api.post("/track", json=TRACK).json()["stored"] == 1
    again = api.post("/track", json=TRACK)
    assert again.status_code == 200 and again.json() == {**again.json(), "stored": 0, "duplicates": 1}
    assert len(rows(api, select(EVENTS.c.id))) == 1


def test_bearer_token_works_like_basic_auth(api) -> None:
    response = httpx.post(
        str(api.base_url).rstrip("/") + "/track", json=TRACK, headers={"Authorization": f"Bearer {api.key}"}, timeout=30
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer pk_not-a-real-key"},
        {"Authorization": "Basic " + base64.b64encode(b"pk_wrong:").decode()},
        {"Authorization": "Basic !!!"},
    ],
)
def test_missing_or_unknown_key_is_refused_with_401(api, headers: dict) -> None:
    response = httpx.post(str(api.base_url).rstrip("/") + "/track", json=TRACK, headers=headers, timeout=30)
    assert response.status_code == 401
    assert rows(api, select(EVENTS.c.id)) == []


def test_a_revoked_key_is_refused(api) -> None:
    with api.db.session() as session:
        (key,) = api_keys.list_keys(session)
    assert run_cli("apikey", "revoke", str(key.id)).returncode == 0
    assert api.post("/track", json=TRACK).status_code == 401


def test_an_oversized_body_is_refused_with_413(api) -> None:
    big = {**TRACK, "properties": {"blob": "x" * (5 * 1024 * 1024)}}
    assert api.post("/track", json=big).status_code == 413


def test_a_batch_with_a_malformed_item_stores_the_others_and_names_the_refused_one(api) -> None:
    batch = {"batch": [TRACK, {**TRACK, "messageId": "m2", "event": ""}, IDENTIFY]}
    response = api.post("/batch", json=batch)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [(e["index"], e["field"]) for e in answer["refused"]] == [(1, "event")]
    assert (answer["stored"], answer["warnings"]) == (1, [])
    assert rows(api, select(EVENTS.c.properties)) == [(TRACK["properties"],)]
    assert rows(api, select(CONTACTS.c.email)) == [("Peter@example.com",)]


@pytest.mark.parametrize(
    ("trait", "value"),
    [("email", "not-an-email"), ("email", ""), ("phone", "n/a"), ("timezone", "GMT+01:00")],
)
def test_a_bad_contact_field_is_dropped_with_a_warning_and_the_message_kept(api, trait: str, value: str) -> None:
    traits = {"plan": "pro", "email": "joe@example.com", trait: value}
    batch = {"batch": [TRACK, {**IDENTIFY, "traits": traits}]}
    response = api.post("/batch", json=batch)
    assert response.status_code == 200, response.text
    (warning,) = response.json()["warnings"]
    assert (warning["index"], warning["field"]) == (1, f"traits.{trait}")
    assert response.json()["refused"] == []
    assert len(rows(api, select(EVENTS.c.id))) == 1
    (contact,) = rows(api, select(CONTACTS.c.email, CONTACTS.c.phone, CONTACTS.c.time_zone, CONTACTS.c.attributes))
    assert contact[0] == (None if trait == "email" else "joe@example.com")
    assert contact[1:3] == (None, None) and contact[3] == {"plan": "pro"}


def test_batch_stores_many_messages_and_counts_duplicates(api) -> None:
    items = [{**TRACK, "messageId": f"m{i % 50}", "userId": f"u{i % 7}"} for i in range(120)]
    response = api.post("/batch", json={"batch": items, "context": {"os": {"name": "Android"}}})
    assert response.status_code == 200, response.text
    assert (response.json()["stored"], response.json()["duplicates"]) == (50, 70)
    assert sorted(r[0] for r in rows(api, select(CONTACTS.c.platform))) == ["android"] * 7


def test_the_largest_64_bit_integers_keep_every_digit(api) -> None:
    # orjson writes them; beyond 64 bits (and NaN) the codec refuses them: see tests/test_json_edges.py.
    body = '{"type": "track", "userId": "u1", "event": "Big", "messageId": "big-1", "properties": {"n": %s}}'
    body = body.replace("%s", str(2**63 - 1))
    response = api.post("/track", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    (stored,) = rows(api, select(EVENTS.c.name, EVENTS.c.properties))
    assert stored == ("Big", {"n": 2**63 - 1})


def test_a_body_that_is_not_json_gets_a_400_and_stores_nothing(api) -> None:
    response = api.post("/batch", content=b'{"batch": [', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request" and "not valid JSON" in response.json()["message"]
    assert rows(api, select(EVENTS.c.id)) == []


def test_page_screen_and_group_calls_from_segment_libraries(api) -> None:
    # Shapes of Segment's spec examples: a mobile SDK batch mixes screen, track and group calls.
    screen = {
        "type": "screen",
        "userId": "97980cfea0067",
        "name": "Checkout",
        "properties": {"variation": "blue"},
        "messageId": "screen-1",
    }
    page = {
        "type": "page",
        "anonymousId": "507f191e810c19729de860ea",
        "category": "Docs",
        "name": "Getting started",
        "properties": {"url": "https://example.com/docs", "title": "Getting started"},
        "messageId": "page-1",
    }
    group = {
        "type": "group",
        "userId": "97980cfea0067",
        "groupId": "0e8c78ea9d97a7b8185e8632",
        "traits": {"name": "Initech", "industry": "Technology", "employees": 329},
        "messageId": "group-1",
    }
    response = api.post("/batch", json={"batch": [screen, TRACK, group, page]})
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 3
    events = rows(api, select(EVENTS.c.name, EVENTS.c.properties).order_by(EVENTS.c.id))
    assert events == [
        ("Screen Viewed", {"variation": "blue", "name": "Checkout"}),
        ("Order Completed", TRACK["properties"]),
        (
            "Page Viewed",
            {
                "url": "https://example.com/docs",
                "title": "Getting started",
                "name": "Getting started",
                "category": "Docs",
            },
        ),
    ]
    (attributes,) = rows(api, select(CONTACTS.c.attributes).where(CONTACTS.c.external_id == "97980cfea0067"))
    assert attributes[0]["group_id"] == "0e8c78ea9d97a7b8185e8632"
    assert attributes[0]["group"] == {"name": "Initech", "industry": "Technology", "employees": 329}
    # The single-call endpoints, as Segment's HTTP API has them.
    alone = {"type": "screen", "userId": "u2", "name": "Home", "messageId": "screen-2"}
    assert api.post("/screen", json=alone).json()["stored"] == 1
    bad = api.post("/group", json={"type": "group", "userId": "u2"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "groupId"


def test_alias_merges_the_anonymous_profile_and_moves_its_events(api) -> None:
    anon = {**TRACK, "userId": None, "anonymousId": "507f191e810c19729de860ea", "messageId": "a1"}
    anon_identify = {**IDENTIFY, "userId": None, "anonymousId": "507f191e810c19729de860ea", "traits": {"color": "red"}}
    assert api.post("/batch", json={"batch": [anon, anon_identify]}).status_code == 200
    assert api.post("/identify", json={**IDENTIFY, "userId": "joe", "traits": {"plan": "gold"}}).status_code == 200
    alias = {"type": "alias", "previousId": "507f191e810c19729de860ea", "userId": "joe"}
    assert api.post("/alias", json=alias).status_code == 200
    (joe,) = rows(api, select(CONTACTS.c.id, CONTACTS.c.attributes).where(CONTACTS.c.external_id == "joe"))
    assert joe[1] == {"plan": "gold", "color": "red"}
    assert rows(api, select(EVENTS.c.contact_id)) == [(joe[0],)]
    later = {**TRACK, "userId": None, "anonymousId": "507f191e810c19729de860ea", "messageId": "a2"}
    assert api.post("/track", json=later).status_code == 200
    assert rows(api, select(EVENTS.c.contact_id)) == [(joe[0],), (joe[0],)], "the old anonymous id now means joe"


def test_identify_attaches_a_user_id_to_the_anonymous_contact(api) -> None:
    assert api.post("/track", json={**TRACK, "userId": None, "anonymousId": "anon-1"}).status_code == 200
    assert api.post("/identify", json={**IDENTIFY, "anonymousId": "anon-1"}).status_code == 200
    assert len(rows(api, select(CONTACTS.c.id))) == 1


def test_openapi_documents_the_tracking_api(server) -> None:
    spec = httpx.get(server.base_url + "/openapi.json", timeout=30).json()
    assert {"/api/v1/identify", "/api/v1/track", "/api/v1/batch", "/api/v1/alias"} <= set(spec["paths"])
    assert httpx.get(server.base_url + "/docs", timeout=30).status_code == 200
