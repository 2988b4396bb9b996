"""Salesforce as a CRM source: Contacts read by SOQL in modified order, outcomes written by sObject Collections.

Spoken through ``simple-salesforce``. Field names chosen on the mapping page go into SOQL, so each one is
checked as a Salesforce API name first: a name that is not one is refused before any request is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from xml.parsers.expat import ExpatError

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceError

from app.integrations.crm.source import CrmContact, CrmError, CrmPage, Outcome

DEFAULT_VERSION = "59.0"
BATCH = 200  # sObject Collections take at most 200 records per call
RATE_LIMIT_RETRY = 60.0  # seconds; Salesforce counts API calls over a rolling 24 hours
SERVER_RETRY = 5.0
TIMEOUT = 30.0

# An API name: letters, digits and single underscores, starting with a letter; optionally a managed-package
# namespace prefix (``ns__``) and the custom suffix ``__c``.
_WORD = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*"
_API_NAME = re.compile(rf"(?:{_WORD}__)?{_WORD}(?:__[cC])?")
_RECORD_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
_CURSOR = re.compile(r"/services/data/v\d+\.\d+/query/[A-Za-z0-9-]+")
_RESERVED = {"id", "attributes"}
_BASE_FIELDS = ("Id", "Email", "Phone", "LastModifiedDate")

T = TypeVar("T")


class WriteBackErrors(CrmError):
    """Some records were refused; the others were written. ``failures`` maps record id to Salesforce's reason."""

    def __init__(self, failures: dict[str, str]) -> None:
        shown = "; ".join(f"{crm_id}: {why}" for crm_id, why in list(failures.items())[:5])
        super().__init__(f"Salesforce refused {len(failures)} record(s): {shown}")
        self.failures = failures


class _StaleCursor(CrmError):
    """Salesforce no longer knows this query locator."""


def check_field_names(names: Sequence[str]) -> list[str]:
    """The names, each checked as a Salesforce API name; the first that is not one is a CrmError naming it."""
    for name in names:
        if not isinstance(name, str) or len(name) > 80 or not _API_NAME.fullmatch(name):
            raise CrmError(f"field {name!r} is not a Salesforce API name")
    return list(names)


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal in UTC, to the second (floored, so a ``>=`` bound never skips a record)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def contacts_query(since: datetime | None, properties: Sequence[str]) -> str:
    """Every Contact modified at or after ``since``, oldest first; Salesforce pages the answer (200 to 2,000
    records a batch) and ``nextRecordsUrl`` walks it, so one run reads all without a LIMIT that could stall on
    more records than it in one second."""
    fields = list(_BASE_FIELDS)
    seen = {f.lower() for f in fields}
    for name in check_field_names(properties):
        if name.lower() not in seen:
            seen.add(name.lower())
            fields.append(name)
    where = f" WHERE LastModifiedDate >= {soql_datetime(since)}" if since else ""
    return f"SELECT {', '.join(fields)} FROM Contact{where} ORDER BY LastModifiedDate, Id"


class SalesforceSource:
    name = "salesforce"

    def __init__(
        self,
        instance_url: str | None = None,
        session_id: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        security_token: str | None = None,
        domain: str | None = None,
        version: str = DEFAULT_VERSION,
        session: requests.Session | None = None,
    ) -> None:
        if not (instance_url and session_id) and not (username and password and security_token):
            raise CrmError("Salesforce needs an instance URL and session id, or username, password and token")
        self._login: dict[str, Any] = {
            "instance_url": instance_url,
            "session_id": session_id,
            "username": username,
            "password": password,
            "security_token": security_token,
            "domain": domain,
            "version": version,
            "session": session,
        }
        self._client: Salesforce | None = None

    def _sf(self) -> Salesforce:
        # Password login makes a request, so it happens lazily, inside the error translation.
        if self._client is None:
            args = {k: v for k, v in self._login.items() if v is not None}
            if self._login["session_id"]:
                for key in ("username", "password", "security_token", "domain"):
                    args.pop(key, None)
            self._client = Salesforce(**args)
        return self._client

    def changed_since(
        self, since: datetime | None, cursor: str | None, properties: Sequence[str], limit: int
    ) -> CrmPage:
        """One batch of Contacts. Salesforce sizes its batches, so ``limit`` (the page size other CRMs take) is
        not sent: a run follows the cursor until Salesforce has no next batch."""
        wanted = check_field_names(properties)
        soql = contacts_query(since, wanted)
        if cursor is not None and not _CURSOR.fullmatch(cursor):
            raise CrmError("the Salesforce cursor is not a query locator address")
        if cursor is not None:
            try:
                body = _translated(lambda: self._sf().query_more(cursor, identifier_is_url=True, timeout=TIMEOUT))
                return _page(body, wanted)
            except _StaleCursor:
                pass  # locators expire after 15 idle minutes: read again from ``since``, which the sync still holds
        return _page(_translated(lambda: self._sf().query(soql, timeout=TIMEOUT)), wanted)

    def write_back(self, outcomes: Sequence[Outcome]) -> None:
        for outcome in outcomes:
            for name in check_field_names(list(outcome.properties)):
                if name.lower() in _RESERVED:  # would redirect the update to another record
                    raise CrmError(f"field {name!r} cannot be written back")
        failures: dict[str, str] = {}
        records: list[dict[str, Any]] = []
        for outcome in outcomes:
            if not isinstance(outcome.crm_id, str) or not _RECORD_ID.fullmatch(outcome.crm_id):
                failures[str(outcome.crm_id)] = "not a Salesforce record id"
                continue
            values = {k: _json_value(v) for k, v in outcome.properties.items()}
            records.append({"attributes": {"type": "Contact"}, "id": outcome.crm_id, **values})
        for chunk in _chunks(records, BATCH):
            payload = {"allOrNone": False, "records": chunk}
            answer = _translated(
                lambda payload=payload: self._sf().restful(
                    "composite/sobjects", method="PATCH", json=payload, timeout=TIMEOUT
                )
            )
            failures.update(_refusals(answer, chunk))
        if failures:
            raise WriteBackErrors(failures)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _page(body: Any, wanted: list[str]) -> CrmPage:
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise CrmError("Salesforce answered a query without a list of records")
    contacts = [_contact(record, wanted) for record in body["records"]]
    next_url, done = body.get("nextRecordsUrl"), body.get("done")
    if not isinstance(done, bool):
        raise CrmError("Salesforce answered a query without saying whether it is done")
    if not done:
        if not isinstance(next_url, str) or not _CURSOR.fullmatch(next_url):
            raise CrmError("Salesforce answered an unfinished query without a usable nextRecordsUrl")
        return CrmPage(contacts=contacts, cursor=next_url)
    return CrmPage(contacts=contacts, cursor=None)


def _contact(record: Any, wanted: list[str]) -> CrmContact:
    if not isinstance(record, dict):
        raise CrmError("Salesforce answered a record that is not an object")
    by_lower = {str(k).lower(): v for k, v in record.items() if k != "attributes"}
    crm_id, modified = by_lower.get("id"), by_lower.get("lastmodifieddate")
    if not isinstance(crm_id, str) or not isinstance(modified, str):
        raise CrmError("Salesforce answered a record without Id or LastModifiedDate")
    try:
        modified_at = datetime.fromisoformat(modified)
    except ValueError as exc:
        raise CrmError(f"record {crm_id}: LastModifiedDate {modified[:40]!r} is not a date") from exc
    if modified_at.tzinfo is None:
        modified_at = modified_at.replace(tzinfo=UTC)
    email, phone = by_lower.get("email"), by_lower.get("phone")
    return CrmContact(
        crm_id=crm_id,
        email=email if isinstance(email, str) else None,
        phone=phone if isinstance(phone, str) else None,
        properties={name: by_lower.get(name.lower()) for name in wanted},
        modified_at=modified_at.astimezone(UTC),
    )


def _refusals(answer: Any, chunk: list[dict[str, Any]]) -> dict[str, str]:
    """Per-record refusals from an sObject Collections answer (one result per record, in order)."""
    if not isinstance(answer, list) or len(answer) != len(chunk):
        raise CrmError("Salesforce answered an update without one result per record")
    refused: dict[str, str] = {}
    for sent, result in zip(chunk, answer, strict=True):
        if not isinstance(result, dict):
            raise CrmError("Salesforce answered an update result that is not an object")
        if result.get("success") is True:
            continue
        errors = result.get("errors") if isinstance(result.get("errors"), list) else []
        first = errors[0] if errors and isinstance(errors[0], dict) else {}
        refused[sent["id"]] = f"{first.get('statusCode', 'UNKNOWN')} {str(first.get('message', ''))[:120]}".strip()
    return refused


def _translated(call: Callable[[], T]) -> T:
    """Run one Salesforce call; whatever goes wrong comes out as a CrmError saying whether to retry."""
    try:
        return call()
    except SalesforceAuthenticationFailed as exc:
        raise CrmError(f"Salesforce login refused: {str(exc.code)[:60]}") from exc
    except SalesforceError as exc:
        raise _from_answer(exc.status, exc.content) from exc
    except requests.exceptions.InvalidJSONError as exc:
        raise CrmError("Salesforce answered something that is not JSON") from exc
    except requests.RequestException as exc:
        raise CrmError(f"Salesforce unreachable: {type(exc).__name__}", retry_after=SERVER_RETRY) from exc
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, ExpatError) as exc:
        raise CrmError(f"Salesforce answered something unreadable ({type(exc).__name__})") from exc


def _from_answer(status: int, content: Any) -> CrmError:
    code, message = _error_code(content)
    said = f"Salesforce answered {status} {code}: {message}".strip().rstrip(":")
    if code == "INVALID_QUERY_LOCATOR":
        return _StaleCursor(said)
    if code == "REQUEST_LIMIT_EXCEEDED":
        return CrmError(said, retry_after=RATE_LIMIT_RETRY)
    if status >= 500:
        return CrmError(said, retry_after=SERVER_RETRY)
    return CrmError(said)


def _error_code(content: Any) -> tuple[str, str]:
    """Salesforce errors are a list of {errorCode, message}; anything else is shown as unknown."""
    first = content[0] if isinstance(content, list) and content else content
    if isinstance(first, dict):
        return str(first.get("errorCode", ""))[:60], str(first.get("message", ""))[:200]
    return "", ""
