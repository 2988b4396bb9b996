"""The HubSpot adapter alone, through the real client against the stub: paging past the search API's 10,000-result
cap, the errors it turns into CrmError, and an erased person who is not imported again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.integrations.crm import config, sync
from app.integrations.crm.config import CrmSettings
from app.integrations.crm.hubspot import HubSpotSource
from app.integrations.crm.source import CrmError
from app.privacy import gdpr
from storage.models import Contact
from tests.hubspot_stub import START, running

TOKEN = "pat-paging"


def test_paging_restarts_from_the_last_modified_time_past_10000_results_and_misses_nobody() -> None:
    with running(10_250, token=TOKEN) as stub:
        source = HubSpotSource(TOKEN, host=stub.url)
        seen: list[str] = []
        cursors: list[str] = []
        cursor = None
        while True:
            page = source.changed_since(None, cursor, ["firstname"], 100)
            seen.extend(c.crm_id for c in page.contacts)
            if page.cursor is None:
                break
            cursor = page.cursor
            cursors.append(cursor)
    assert set(seen) == {str(n) for n in range(1, 10_251)}  # the stub answers 400 past 10,000: none was asked
    assert len(seen) - len(set(seen)) <= 1  # the record at the restart time is read twice
    restarted = [c for c in cursors if c.endswith(":0")]
    assert len(restarted) == 1 and int(restarted[0].split(":")[0]) > int(START.timestamp() * 1000)


@pytest.mark.parametrize(
    ("status", "headers", "retry_after", "words"),
    [
        (429, {"Retry_After": "7"}, 7.0, "rate limited"),
        (429, {}, 10.0, "rate limited"),
        (503, {}, 30.0, "server error 503"),
        (403, {}, None, "access refused (403)"),
    ],
)
def test_refusals_become_crm_errors_with_the_right_retry(status, headers, retry_after, words) -> None:
    with running(5, token=TOKEN) as stub:
        stub.then(status, **headers)
        with pytest.raises(CrmError) as caught:
            HubSpotSource(TOKEN, host=stub.url).changed_since(None, None, [], 10)
    assert caught.value.retry_after == retry_after and words in str(caught.value)


def test_an_unreachable_api_is_retried_later() -> None:
    with running(0, token=TOKEN) as stub:
        url = stub.url
    with pytest.raises(CrmError) as caught:
        HubSpotSource(TOKEN, host=url).changed_since(None, None, [], 10)
    assert caught.value.retry_after == 30.0 and "cannot reach" in str(caught.value)


def test_a_person_erased_in_parcours_is_not_imported_again(ctx) -> None:
    with running(3, token=TOKEN) as stub:
        config.save_credential(ctx, "hubspot", "access_token", TOKEN, actor="admin")
        config.save(ctx, "hubspot", CrmSettings(enabled=True, host=stub.url), actor="admin")
        sync.run(ctx, "hubspot")
        table = Contact.__table__
        with ctx.db.engine.connect() as conn:
            two = conn.execute(select(table.c.id).where(table.c.external_id == "hubspot:2")).scalar_one()
        gdpr.erase_contact(ctx, two, actor="admin")
        stub.put("2", {"firstname": "Still here"}, at=START + timedelta(days=1))
        again = sync.run(ctx, "hubspot")
    assert again.error is None and again.skipped == 1
    with ctx.db.engine.connect() as conn:
        emails = [row[0] for row in conn.execute(select(table.c.email).where(table.c.merged_into_id.is_(None)))]
    assert "person2@example.com" not in emails
