"""HubSpot sync through the real ``hubspot-api-client`` against a HubSpot-compatible stub on loopback: pages,
a rate limit in the middle, later changes, field mapping, people matched by email, outcomes written back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.delivery.dispatch import Dispatcher
from app.integrations.crm import config, sync
from app.integrations.crm.config import CrmSettings
from app.tracking.payloads import Identify, Track
from app.tracking.service import ingest
from storage.models import Contact
from tests.conftest import run_cli
from tests.engine_support import publish, run
from tests.hubspot_stub import START, HubSpotStub, running

TOKEN = "pat-test-token"


@pytest.fixture
def stub() -> Iterator[HubSpotStub]:
    with running(250, token=TOKEN) as server:
        yield server


def configure(ctx, stub: HubSpotStub, *, token: str = TOKEN, **chosen) -> None:
    config.save_credential(ctx, "hubspot", "access_token", token, actor="admin")
    options = {"enabled": True, "mapping": {"firstname": "first_name"}, "host": stub.url, **chosen}
    config.save(ctx, "hubspot", CrmSettings(**options), actor="admin")


def contacts(ctx) -> list:
    table = Contact.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))


def test_import_reads_250_contacts_in_pages_with_their_hubspot_ids(ctx, stub) -> None:
    configure(ctx, stub)
    pages: list[int] = []
    result = sync.run(ctx, "hubspot", progress=lambda r: pages.append(r.contacts))
    assert (result.error, result.pages, result.contacts) == (None, 3, 250)
    assert pages == [100, 200, 250]
    rows = contacts(ctx)
    assert len(rows) == 250
    seven = next(r for r in rows if r.external_id == "hubspot:7")
    assert seven.email == "person7@example.com"
    assert seven.attributes["hubspot_id"] == "7"
    last = config.state(ctx, "hubspot")
    assert last["cursor"] is None and last["last_run"]["contacts"] == 250


def test_a_429_mid_run_stops_and_the_next_run_resumes_without_duplicates_or_gaps(ctx, stub) -> None:
    configure(ctx, stub)
    stub.fail_after = 1  # the first page is answered, the second is rate limited
    first = sync.run(ctx, "hubspot")
    assert first.contacts == 100 and "rate limited" in (first.error or "")
    assert first.retry_at == ctx.clock.now() + timedelta(seconds=30)
    assert len(contacts(ctx)) == 100
    early = sync.run(ctx, "hubspot")  # before the retry time: nothing asked of HubSpot
    assert early.pages == 0 and not sync.due(ctx, "hubspot")
    ctx.clock.advance(seconds=31)
    assert sync.due(ctx, "hubspot")
    second = sync.run(ctx, "hubspot")
    assert (second.error, second.contacts) == (None, 150)
    rows = contacts(ctx)
    assert sorted(r.external_id for r in rows) == sorted(f"hubspot:{n}" for n in range(1, 251))
    assert config.state(ctx, "hubspot")["retry_at"] is None


def test_a_contact_modified_later_is_updated_on_the_next_run(ctx, stub) -> None:
    configure(ctx, stub)
    sync.run(ctx, "hubspot")
    stub.put("7", {"firstname": "Renamed", "email": "new7@example.com"}, at=START + timedelta(days=2))
    again = sync.run(ctx, "hubspot")
    assert again.error is None and again.contacts <= 2  # the newest one already seen, and the change
    rows = contacts(ctx)
    assert len(rows) == 250
    seven = next(r for r in rows if r.external_id == "hubspot:7")
    assert (seven.email, seven.attributes["first_name"]) == ("new7@example.com", "Renamed")


def test_field_mapping_names_the_contact_fields_and_leaves_out_unmapped_properties(ctx, stub) -> None:
    stub.put("3", {"mobilephone": "+33 6 12 34 56 78", "plan": "gold"}, at=START + timedelta(seconds=3))
    mapping = {"firstname": "first_name", "mobilephone": "phone", "plan": "crm_plan"}
    configure(ctx, stub, mapping=mapping)
    sync.run(ctx, "hubspot")
    three = next(r for r in contacts(ctx) if r.external_id == "hubspot:3")
    assert three.phone == "+33612345678"
    assert three.attributes["first_name"] == "First3" and three.attributes["crm_plan"] == "gold"
    assert "company" not in three.attributes and "firstname" not in three.attributes


def test_a_person_already_known_by_email_is_updated_not_duplicated(ctx, stub) -> None:
    ingest(ctx, [Identify(userId="app-user-1", traits={"email": "person3@example.com"})])
    configure(ctx, stub)
    sync.run(ctx, "hubspot")
    rows = contacts(ctx)
    assert len(rows) == 250
    known = next(r for r in rows if r.email == "person3@example.com")
    assert known.external_id == "app-user-1" and known.attributes["hubspot_id"] == "3"


def test_write_back_sends_the_journey_and_conversion_of_a_contact_who_bought(ctx, stub) -> None:
    configure(ctx, stub, outcomes=["journey", "converted", "last_channel", "revenue"])
    sync.run(ctx, "hubspot")
    assert stub.updates == []  # nobody is in a journey yet
    publish(ctx, "abandoned_cart")
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE contact SET phone = '+33612345670', consent = '{\"sms\": \"subscribed\"}'"
            " WHERE external_id = 'hubspot:5'"
        )
    ingest(ctx, [Track(userId="hubspot:5", event="Checkout Started", properties={"checkout_url": "https://s/x"})])
    run(ctx)
    run(ctx, after=timedelta(minutes=61))
    Dispatcher(ctx).run()
    ingest(ctx, [Track(userId="hubspot:5", event="Order Completed", properties={"revenue": 42.5, "currency": "EUR"})])
    run(ctx)
    ctx.clock.advance(minutes=20)
    result = sync.run(ctx, "hubspot")
    assert result.error is None and result.written_back == 1
    (update,) = stub.updates
    assert update["id"] == "5"
    assert update["properties"] == {
        "parcours_last_journey": "Abandoned cart: SMS, then email",
        "parcours_converted": "true",
        "parcours_last_channel": "sms",
        "parcours_revenue": "42.5",
    }
    ctx.clock.advance(minutes=20)
    assert sync.run(ctx, "hubspot").written_back == 0  # nothing changed since


def test_bad_credentials_are_recorded_as_a_clear_error_without_retrying(ctx, stub) -> None:
    configure(ctx, stub, token="pat-wrong")
    result = sync.run(ctx, "hubspot")
    assert result.retry_at is None and result.contacts == 0
    last = config.state(ctx, "hubspot")["last_run"]
    assert "access refused (401)" in last["error"] and "token" in last["error"]
    assert contacts(ctx) == []


def test_the_cli_syncs_hubspot_printing_pages_as_it_goes(ctx, stub) -> None:
    configure(ctx, stub)
    result = run_cli("crm", "sync", "hubspot")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [f"hubspot: page {n}, {c} contacts imported" for n, c in ((1, 100), (2, 200), (3, 250))]
    assert lines[-1].startswith("hubspot: done, 250 contacts imported in 3 pages")
    assert len(contacts(ctx)) == 250
    stub.then(429, Retry_After="12")
    refused = run_cli("crm", "sync", "hubspot")
    assert refused.returncode == 1 and "rate limited" in refused.stderr and "retry after" in refused.stderr


def test_a_run_held_by_another_process_is_not_doubled_and_an_expired_lease_is_taken_over(ctx, stub) -> None:
    configure(ctx, stub)
    assert config.claim(ctx, "hubspot", until=ctx.clock.now() + timedelta(minutes=15))  # another process
    busy = sync.run(ctx, "hubspot")
    assert busy.busy and busy.pages == 0 and stub.searches == 0
    ctx.clock.advance(minutes=16)  # that process died without releasing
    done = sync.run(ctx, "hubspot")
    assert (done.busy, done.contacts) == (False, 250)
    assert config.state(ctx, "hubspot")["running_until"] is None
