"""The Salesforce adapter, through the real simple-salesforce client, against a Salesforce-compatible stub over TLS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from app.integrations.crm.salesforce import SalesforceSource, WriteBackErrors
from app.integrations.crm.source import CrmContact, CrmError, Outcome
from tests.salesforce_stub import (
    PASSWORD,
    SESSION,
    TOKEN,
    USERNAME,
    VERSION,
    SalesforceStub,
    contact_id,
    running_stub,
)

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def stub(tmp_path: Path) -> Iterator[tuple[SalesforceStub, str]]:
    with running_stub(tmp_path) as running:
        yield running


def source(stub: tuple[SalesforceStub, str], session_id: str = SESSION) -> SalesforceSource:
    server, bundle = stub
    http = requests.Session()
    http.verify = bundle  # trust the stub's test CA
    http.trust_env = False  # else requests lets REQUESTS_CA_BUNDLE from the environment override ``verify``
    return SalesforceSource(server.url, session_id, version=VERSION, session=http)


class _LoginHostIsTheStub(HTTPAdapter):
    """Stands in for DNS: login.salesforce.com resolves to the stub on loopback."""

    def __init__(self, stub_url: str) -> None:
        super().__init__()
        self.stub_url = stub_url

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:  # type: ignore[override]
        request.url = str(request.url).replace("https://login.salesforce.com", self.stub_url, 1)
        return super().send(request, **kwargs)  # type: ignore[arg-type]


def password_source(stub: tuple[SalesforceStub, str], password: str = PASSWORD) -> SalesforceSource:
    server, bundle = stub
    http = requests.Session()
    http.verify, http.trust_env = bundle, False
    http.mount("https://login.salesforce.com", _LoginHostIsTheStub(server.url))
    return SalesforceSource(username=USERNAME, password=password, security_token=TOKEN, version=VERSION, session=http)


def read_all(
    src: SalesforceSource, since: datetime | None, properties: list[str], limit: int = 10_000
) -> list[list[CrmContact]]:
    pages, cursor = [], None
    while True:
        page = src.changed_since(since, cursor, properties, limit)
        pages.append(page.contacts)
        if page.cursor is None:
            return pages
        cursor = page.cursor


def test_450_contacts_come_in_pages_oldest_first(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    server.add_contacts(450, START)
    pages = read_all(source(stub), None, [])
    assert [len(p) for p in pages] == [200, 200, 50]
    contacts = [c for p in pages for c in p]
    assert len({c.crm_id for c in contacts}) == 450
    times = [c.modified_at for c in contacts]
    assert times == sorted(times) and times[0] == START and times[-1] == START + timedelta(minutes=449)
    assert contacts[0].email and contacts[0].phone and contacts[0].modified_at.tzinfo is not None
    assert [r["path"].split("?")[0].rsplit("/", 1)[-1][:3] for r in server.requests] == ["", "01g", "01g"]


def test_a_cursor_resumes_at_the_page_boundary_with_a_fresh_client(stub: tuple[SalesforceStub, str]) -> None:
    stub[0].add_contacts(450, START)
    first = source(stub).changed_since(None, None, [], 10_000)
    assert first.cursor is not None
    second = source(stub).changed_since(None, first.cursor, [], 10_000)
    assert second.contacts[0].modified_at == first.contacts[-1].modified_at + timedelta(minutes=1)
    assert len(second.contacts) == 200 and second.cursor is not None
    whole = [c.crm_id for p in read_all(source(stub), None, []) for c in p]
    assert [c.crm_id for c in first.contacts + second.contacts] == whole[:400]


def test_an_expired_cursor_reads_again_from_since(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    server.add_contacts(450, START)
    since = START + timedelta(minutes=100)
    first = source(stub).changed_since(since, None, [], 10_000)
    server.locators.clear()  # Salesforce forgets a query locator after 15 idle minutes
    again = source(stub).changed_since(since, first.cursor, [], 10_000)
    assert [c.crm_id for c in again.contacts] == [c.crm_id for c in first.contacts]
    assert again.cursor is not None and again.cursor != first.cursor


def test_since_keeps_only_contacts_modified_at_or_after_it(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    server.add_contacts(450, START)
    since = START + timedelta(minutes=300, seconds=30, microseconds=5)
    contacts = [c for p in read_all(source(stub), since, []) for c in p]
    # Floored to the second, the bound still excludes minute 300 (at :00) and keeps 301 onwards.
    assert len(contacts) == 149 and min(c.modified_at for c in contacts) == START + timedelta(minutes=301)
    assert "WHERE LastModifiedDate >= 2026-11-02T14:00:30Z ORDER BY LastModifiedDate, Id" in server.requests[0]["soql"]


def test_one_run_reads_every_batch_whatever_page_size_is_asked(stub: tuple[SalesforceStub, str]) -> None:
    """Salesforce sizes its batches: no LIMIT is sent, so a second with more changes than a page never stalls."""
    server, _ = stub
    server.add_contacts(450, START)
    pages = list(read_all(source(stub), None, [], limit=100))
    assert [len(p) for p in pages] == [200, 200, 50]
    assert "LIMIT" not in server.requests[0]["soql"]


def test_a_mapped_custom_field_comes_through(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    server.add_contacts(3, START, Loyalty_Tier__c="Gold", FirstName="Ana")
    page = source(stub).changed_since(None, None, ["Loyalty_Tier__c", "FirstName", "Email"], 100)
    expected = [{"Loyalty_Tier__c": "Gold", "FirstName": "Ana", "Email": c.email} for c in page.contacts]
    assert [c.properties for c in page.contacts] == expected
    selected = "SELECT Id, Email, Phone, LastModifiedDate, Loyalty_Tier__c, FirstName FROM Contact "
    assert server.requests[0]["soql"].startswith(selected)


@pytest.mark.parametrize("hostile", ["Email FROM Contact --", "Name,(SELECT", "Id; DELETE", "Tier__", "_x", ""])
def test_a_hostile_field_name_is_refused_before_any_request(stub: tuple[SalesforceStub, str], hostile: str) -> None:
    server, _ = stub
    server.add_contacts(3, START)
    with pytest.raises(CrmError) as refused:
        source(stub).changed_since(None, None, ["Email", hostile], 100)
    assert repr(hostile) in str(refused.value) and refused.value.retry_after is None
    with pytest.raises(CrmError):
        source(stub).write_back([Outcome(contact_id(1), {hostile: "x"})])
    assert server.requests == []


@pytest.mark.parametrize("reserved", ["Id", "attributes"])
def test_write_back_cannot_retarget_a_record(stub: tuple[SalesforceStub, str], reserved: str) -> None:
    server, _ = stub
    made = server.add_contacts(2, START)
    with pytest.raises(CrmError) as refused:
        source(stub).write_back([Outcome(made[0]["Id"], {"Parcours_Score__c": 1, reserved: made[1]["Id"]})])
    assert repr(reserved) in str(refused.value) and server.requests == []


def test_a_foreign_cursor_is_refused_before_any_request(stub: tuple[SalesforceStub, str]) -> None:
    with pytest.raises(CrmError):
        source(stub).changed_since(None, "@evil.example/services/data/v59.0/query/01gx-200", [], 100)
    assert stub[0].requests == []


def test_the_request_limit_is_an_error_to_retry_later(stub: tuple[SalesforceStub, str]) -> None:
    stub[0].add_contacts(3, START)
    stub[0].mode = "limit"
    with pytest.raises(CrmError) as limited:
        source(stub).changed_since(None, None, [], 100)
    assert limited.value.retry_after == 60 and "REQUEST_LIMIT_EXCEEDED" in str(limited.value)


def test_a_bad_session_is_an_error_not_to_retry(stub: tuple[SalesforceStub, str]) -> None:
    stub[0].add_contacts(3, START)
    with pytest.raises(CrmError) as refused:
        source(stub, session_id="00Dexpired").changed_since(None, None, [], 100)
    assert refused.value.retry_after is None and "INVALID_SESSION_ID" in str(refused.value)
    assert "00Dexpired" not in str(refused.value)


def test_password_login_reads_and_logs_in_again_when_the_session_expires(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    server.add_contacts(450, START)
    src = password_source(stub)
    first = src.changed_since(None, None, [], 10_000)
    server.sessions.clear()  # every session expires
    second = src.changed_since(None, first.cursor, [], 10_000)
    assert len(first.contacts) == len(second.contacts) == 200
    logins = [r for r in server.requests if r["method"] == "POST"]
    assert len(logins) == 2 and not any("/query/" in r["path"] for r in logins)


def test_a_refused_login_is_an_error_not_to_retry(stub: tuple[SalesforceStub, str]) -> None:
    src = password_source(stub, password="wrong")
    with pytest.raises(CrmError) as refused:
        src.changed_since(None, None, [], 100)
    assert refused.value.retry_after is None and "INVALID_LOGIN" in str(refused.value)
    assert "wrong" not in str(refused.value)


def test_a_server_error_retries_soon_and_a_malformed_answer_is_a_crm_error(stub: tuple[SalesforceStub, str]) -> None:
    stub[0].mode = "500"
    with pytest.raises(CrmError) as failed:
        source(stub).changed_since(None, None, [], 100)
    assert failed.value.retry_after is not None and failed.value.retry_after <= 10
    for mode in ("garbage", "odd"):
        stub[0].mode = mode
        with pytest.raises(CrmError):
            source(stub).changed_since(None, None, [], 100)
        with pytest.raises(CrmError):
            source(stub).write_back([Outcome(contact_id(1), {"Parcours_Converted__c": True})])


def test_an_untrusted_certificate_is_refused(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    with pytest.raises(CrmError) as refused:
        SalesforceSource(server.url, SESSION, version=VERSION).changed_since(None, None, [], 100)
    assert refused.value.retry_after is not None and server.requests == []


def test_write_back_of_450_outcomes_makes_3_calls_and_sets_the_properties(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    made = server.add_contacts(450, START)
    converted_at = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    outcomes = [
        Outcome(c["Id"], {"Parcours_Last_Journey__c": f"Welcome {i}", "Parcours_Converted__c": converted_at})
        for i, c in enumerate(made)
    ]
    source(stub).write_back(outcomes)
    assert [len(p) for p in server.patches] == [200, 200, 50]
    assert all(r["method"] == "PATCH" for r in server.requests) and len(server.requests) == 3
    assert server.requests[0]["body"]["allOrNone"] is False
    assert server.contacts[made[449]["Id"]]["Parcours_Last_Journey__c"] == "Welcome 449"
    assert server.contacts[made[0]["Id"]]["Parcours_Converted__c"] == "2026-11-20T10:30:00+00:00"


def test_write_back_reports_refused_records_and_writes_the_others(stub: tuple[SalesforceStub, str]) -> None:
    server, _ = stub
    made = server.add_contacts(2, START)
    outcomes = [
        Outcome(made[0]["Id"], {"Parcours_Score__c": 7, "Parcours_Entered__c": date(2026, 11, 3)}),
        Outcome(contact_id(999), {"Parcours_Score__c": 8}),
        Outcome("not an id", {"Parcours_Score__c": 9}),
        Outcome(made[1]["Id"], {"Parcours_Score__c": 10}),
    ]
    with pytest.raises(WriteBackErrors) as refused:
        source(stub).write_back(outcomes)
    assert set(refused.value.failures) == {contact_id(999), "not an id"}
    assert "ENTITY_IS_DELETED" in refused.value.failures[contact_id(999)]
    assert [server.contacts[c["Id"]]["Parcours_Score__c"] for c in made] == [7, 10]
    assert server.contacts[made[0]["Id"]]["Parcours_Entered__c"] == "2026-11-03"
