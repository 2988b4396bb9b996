"""Salesforce sync end to end: the shared sync drives the real simple-salesforce client over TLS against a
Salesforce-compatible stub: every Contact imported in Salesforce's batches with a mapped custom field, a later
change picked up, a request limit kept for later, outcomes written back; the page refuses a foreign instance URL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nicegui.testing import User
from sqlalchemy import select

from app.integrations.crm import adapters, config, sync
from app.integrations.crm.config import ConfigError, CrmSettings
from storage.models import Contact
from tests.auth_helpers import login
from tests.salesforce_stub import SESSION, SalesforceStub, running_stub

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SalesforceStub]:
    with running_stub(tmp_path) as (server, bundle):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)  # as a company trusts its own CA: the stub's test CA
        yield server


def configure(ctx, stub: SalesforceStub, **chosen) -> None:  # noqa: ANN001
    config.save_credential(ctx, "salesforce", "instance_url", "https://acme.my.salesforce.com", actor="admin")
    config.save_credential(ctx, "salesforce", "access_token", SESSION, actor="admin")
    options = {"enabled": True, "mapping": {"Loyalty_Tier__c": "loyalty_tier"}, "host": stub.url, **chosen}
    config.save(ctx, "salesforce", CrmSettings(**options), actor="admin")


def people(ctx) -> dict[str, dict]:  # noqa: ANN001
    table = Contact.__table__
    with ctx.db.engine.connect() as conn:
        return {r.email: dict(r.attributes or {}) for r in conn.execute(select(table))}


def test_every_salesforce_contact_is_imported_in_batches_and_a_later_change_is_picked_up(ctx, stub) -> None:  # noqa: ANN001
    stub.add_contacts(450, START, Loyalty_Tier__c="Gold")
    configure(ctx, stub)
    first = sync.run(ctx, "salesforce")
    assert (first.error, first.pages, first.contacts) == (None, 3, 450)
    found = people(ctx)
    assert len(found) == 450 and found["sf7@example.com"]["loyalty_tier"] == "Gold"

    changed = stub.contacts[next(iter(stub.contacts))]
    changed.update(Loyalty_Tier__c="Platinum", LastModifiedDate="2026-11-03T10:00:00.000+0000")
    second = sync.run(ctx, "salesforce")
    assert second.error is None and second.contacts >= 1
    after = people(ctx)
    assert len(after) == 450 and after[changed["Email"]]["loyalty_tier"] == "Platinum"


def test_a_request_limit_stops_the_run_and_keeps_the_position(ctx, stub) -> None:  # noqa: ANN001
    stub.add_contacts(10, START, Loyalty_Tier__c="Silver")
    configure(ctx, stub)
    stub.mode = "limit"
    stopped = sync.run(ctx, "salesforce")
    assert "REQUEST_LIMIT_EXCEEDED" in (stopped.error or "") and stopped.contacts == 0
    assert stopped.retry_at == ctx.clock.now() + timedelta(seconds=60)
    stub.mode = "ok"
    ctx.clock.advance(seconds=61)
    assert sync.run(ctx, "salesforce").contacts == 10 and len(people(ctx)) == 10


def test_the_instance_url_must_be_salesforce_over_https() -> None:
    assert adapters.check_credential("salesforce", "instance_url", " https://Acme.my.salesforce.com/ ") == (
        "https://acme.my.salesforce.com"
    )
    for hostile in ("http://acme.my.salesforce.com", "https://127.0.0.1", "https://evil.example/x.salesforce.com"):
        with pytest.raises(ConfigError) as refused:
            adapters.check_credential("salesforce", "instance_url", hostile)
        assert refused.value.field == "instance_url"


async def test_the_settings_page_refuses_a_foreign_instance_url_and_saves_nothing(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    await user.should_see(marker="crm-salesforce-section")
    user.find(marker="crm-salesforce-instance_url").type("https://169.254.169.254")
    user.find(marker="crm-salesforce-access_token").type("00Dtoken")
    user.find(marker="crm-salesforce-save").click()
    await user.should_see("instance_url: an https address on salesforce.com")
    from app.core.context import current

    assert config.masked_credentials(current(), "salesforce") == {"instance_url": "", "access_token": ""}
