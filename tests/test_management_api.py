"""The management API for journeys, segments and contacts, through the app's HTTP stack (signed-in callers)."""

from __future__ import annotations

import json

from nicegui.testing import User

from app.audience import segment_service
from app.core.context import current
from storage import journeys as store
from tests.auth_helpers import login
from tests.engine_support import add_contacts
from tests.test_journeys_as_code import cart, second_version

API = "/api/v1/journeys"


def journey_rows() -> list[store.JourneyRow]:
    with current().db.session() as session:
        return store.list_journeys(session)


async def test_draft_update_with_a_stale_revision_gets_409_naming_the_current_one(user: User) -> None:
    await login(user, "marketer")
    client = user.http_client
    created = await client.post(API, content=json.dumps(cart()))
    assert created.status_code == 201, created.text
    assert (created.json()["key"], created.json()["revision"]) == ("cart-recovery", 1)
    read = await client.get(f"{API}/cart-recovery")
    assert read.headers["etag"] == '"1"'
    changed = cart(name="Cart recovery v2")
    saved = await client.put(f"{API}/cart-recovery/draft", content=json.dumps(changed), headers={"If-Match": '"1"'})
    assert (saved.status_code, saved.json()["revision"]) == (200, 2)
    stale = await client.put(f"{API}/1/draft?expected_revision=1", content=json.dumps(cart(name="Lost")))
    assert stale.status_code == 409
    assert stale.json()["current_revision"] == 2
    assert stale.json()["detail"].startswith("expected_revision: the draft is now at revision 2")
    missing = await client.put(f"{API}/1/draft", content=json.dumps(cart()))
    assert missing.status_code == 428 and missing.json()["detail"].startswith("expected_revision:")
    assert [(r.name, r.revision) for r in journey_rows()] == [("Cart recovery v2", 2)]


async def test_publish_pause_resume_export_and_diff(user: User) -> None:
    await login(user, "marketer")
    client = user.http_client
    await client.post(API, content=json.dumps(cart()))
    assert (await client.post(f"{API}/cart-recovery/publish")).json() == {"id": 1, "version": 1, "status": "live"}
    update = await client.put(f"{API}/1/draft", content=json.dumps(second_version(cart())), headers={"If-Match": "1"})
    assert update.json()["violations"] == []
    assert (await client.post(f"{API}/1/publish")).json()["version"] == 2
    diff = (await client.get(f"{API}/cart-recovery/diff", params={"from": "1", "to": "2"})).json()
    assert (diff["nodes_added"], diff["nodes_removed"]) == (["push"], ["bought_late"])
    assert diff["nodes_changed"] == [
        {"id": "wait_1h", "changes": [{"field": "config.timeout.amount", "before": 1, "after": 2}]}
    ]
    assert diff["edges_added"] == ["push:next->wait_24h", "sms:next->push", "wait_24h:event->done"]
    assert diff["edges_removed"] == ["sms:next->wait_24h", "wait_24h:event->bought_late"]
    exported = await client.get(f"{API}/cart-recovery/export", params={"version": 1})
    assert json.loads(exported.text) == json.loads(json.dumps(cart())) | {"key": "cart-recovery"}
    assert (await client.post(f"{API}/1/pause")).json() == {"id": 1, "status": "paused"}
    again = await client.post(f"{API}/1/pause")
    assert (again.status_code, again.json()["detail"]) == (409, "status: cannot pause a journey that is paused")
    assert (await client.post(f"{API}/1/resume")).json()["status"] == "live"
    assert (await client.get(f"{API}/1/export", params={"version": 9})).status_code == 404


async def test_apply_by_key_twice_changes_nothing(user: User) -> None:
    await login(user, "marketer")
    client = user.http_client
    first = (await client.post(f"{API}/apply?publish=true", content=json.dumps(cart()))).json()
    assert (first["created"], first["published_version"]) == (True, 1)
    before = journey_rows()
    again = (await client.post(f"{API}/apply?publish=true", content=json.dumps(cart()))).json()
    assert (again["unchanged"], again["revision"], again["live_version"]) == (True, 1, 1)
    assert journey_rows() == before


async def test_bad_bodies_get_400_naming_the_field_and_store_nothing(user: User) -> None:
    await login(user, "marketer")
    client = user.http_client
    not_json = await client.post(API, content=b'{"name": ')
    assert (not_json.status_code, not_json.json()["detail"]) == (
        400,
        "body: line 1 column 10: not valid JSON (Expecting value)",
    )
    bad_id = cart()
    bad_id["nodes"][0]["id"] = "no spaces allowed"
    refused = await client.post(API, content=json.dumps(bad_id))
    assert refused.status_code == 400 and refused.json()["detail"].startswith("nodes[0].id: String should match")
    empty = await client.post(f"{API}/apply", content=b"")
    assert (empty.status_code, empty.json()["detail"]) == (400, "body: a journey document (JSON object) is required")
    no_key = await client.post(f"{API}/apply", content=json.dumps(cart(key=None)))
    assert no_key.status_code == 400 and no_key.json()["detail"].startswith("key: ")
    dead_end = cart()
    dead_end["edges"] = [e for e in dead_end["edges"] if e["source"] != "email"]
    invalid = await client.post(API, content=json.dumps(dead_end))
    assert invalid.status_code == 422
    texts = [v["text"] for v in invalid.json()["violations"]]
    assert any(t.startswith("node email: [dead_end]") for t in texts), texts
    assert journey_rows() == []


async def test_viewer_reads_but_cannot_change(user: User) -> None:
    await login(user, "viewer")
    client = user.http_client
    assert (await client.get(API)).json() == {"journeys": []}
    assert (await client.post(f"{API}/apply", content=json.dumps(cart()))).status_code == 403
    assert (await client.get(f"{API}/nope")).status_code == 404


async def test_segments_and_contacts_read_endpoints(user: User) -> None:
    ctx = current()
    add_contacts(ctx, 30, attributes={"tier": "vip"})
    segment_service.save_segment(
        ctx, name="VIP", condition={"kind": "attribute", "attribute": "tier", "op": "eq", "value": "vip"}
    )
    await login(user, "viewer")
    client = user.http_client
    assert [s["name"] for s in (await client.get("/api/v1/segments")).json()["segments"]] == ["VIP"]
    assert (await client.get("/api/v1/segments/VIP")).json()["count"] == 30
    assert (await client.get("/api/v1/segments/Nobody")).json()["detail"] == "name: no segment 'Nobody'"
    page = (await client.get("/api/v1/contacts", params={"page": 2, "page_size": 20})).json()
    assert (page["total"], page["pages"], len(page["contacts"])) == (30, 2, 10)
    by_email = (await client.get("/api/v1/contacts", params={"email": "USER7@example.com"})).json()
    assert [c["external_id"] for c in by_email["contacts"]] == ["user-7"]
    profile = (await client.get("/api/v1/contacts/user-7")).json()
    assert (profile["email"], profile["attributes"]["tier"]) == ("user7@example.com", "vip")
    assert (await client.get("/api/v1/contacts/user-99")).status_code == 404
    too_big = await client.get("/api/v1/contacts", params={"page_size": 5000})
    assert too_big.status_code == 422 and "page_size" in too_big.text


async def test_openapi_documents_the_management_routes_with_examples(user: User) -> None:
    schema = (await user.http_client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path in (API, f"{API}/apply", f"{API}/{{journey}}/draft", f"{API}/{{journey}}/diff", "/api/v1/contacts"):
        assert path in paths, path
    body = paths[f"{API}/apply"]["post"]["requestBody"]["content"]["application/json"]
    assert body["examples"]["welcome"]["value"]["key"] == "welcome-series"
