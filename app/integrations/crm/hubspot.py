"""HubSpot contacts through the official client (``hubspot-api-client``): the CRM search API for changes, batch
update for outcomes.

Paging: the search API sorts by ``lastmodifieddate`` ascending from a ``GTE since`` filter and pages with an
``after`` offset. HubSpot answers at most 10,000 results per query (``after`` + ``limit`` past 10,000 is a 400),
so when the next ``after`` would pass that cap the query is restarted from the last modified time seen, with
``after`` back at 0. Records sharing that exact time are read a second time, which is harmless (an import is an
upsert). The cursor therefore carries both the query's lower bound and the offset: ``"<since ms>:<after>"``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import hubspot
import urllib3
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInput,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInput,
)
from urllib3.util.retry import Retry

from app.integrations.crm.source import CrmContact, CrmError, CrmPage, Outcome

SEARCH_CAP = 10_000  # results one search query can page through
MAX_PAGE = 100  # the search API's and batch update's largest page
BASE_PROPERTIES = ("email", "phone", "lastmodifieddate")
DEFAULT_RETRY_S = 10.0  # a 429 without Retry-After
SERVER_RETRY_S = 30.0  # a 5xx
TIMEOUT_S = 30.0


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def parse_time(value: Any) -> datetime | None:
    """HubSpot's times: ISO 8601 (``2026-01-02T03:04:05.678Z``) or epoch milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value)
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _cursor(since_ms: int | None, after: int) -> str:
    return f"{'' if since_ms is None else since_ms}:{after}"


def _read_cursor(cursor: str) -> tuple[int | None, int]:
    try:
        since, after = cursor.split(":", 1)
        return (int(since) if since else None), int(after)
    except ValueError as exc:
        raise CrmError(f"hubspot: unreadable position {cursor[:40]!r}; reset the sync") from exc


def _retry_after(headers: Any) -> float:
    value = None
    if headers is not None:
        value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(1.0, float(value)) if value is not None else DEFAULT_RETRY_S
    except ValueError:
        return DEFAULT_RETRY_S


def _error(exc: ApiException, doing: str) -> CrmError:
    """One CrmError for a refusal: 429 and 5xx may be retried, 401/403 and the rest need a person."""
    status = exc.status or 0
    detail = ""
    try:
        detail = str(json.loads(exc.body or b"{}").get("message") or "")[:200]
    except (ValueError, AttributeError):
        detail = ""
    suffix = f": {detail}" if detail else ""
    if status == 429:
        return CrmError(f"hubspot: rate limited while {doing}", retry_after=_retry_after(exc.headers))
    if status >= 500:
        return CrmError(f"hubspot: server error {status} while {doing}", retry_after=SERVER_RETRY_S)
    if status in (401, 403):
        return CrmError(f"hubspot: access refused ({status}) while {doing}: check the private app token{suffix}")
    return CrmError(f"hubspot: error {status} while {doing}{suffix}")


class HubSpotSource:
    name = "hubspot"

    def __init__(self, access_token: str, *, host: str = "https://api.hubapi.com") -> None:
        # No client-side retries of statuses: the sync backs off itself (429 / 5xx become CrmError).
        client = hubspot.Client.create(access_token=access_token, host=host.rstrip("/"), retry=Retry(total=1))
        self._search = client.crm.contacts.search_api
        self._batch = client.crm.contacts.batch_api

    def changed_since(
        self, since: datetime | None, cursor: str | None, properties: Sequence[str], limit: int
    ) -> CrmPage:
        since_ms, after = _read_cursor(cursor) if cursor else (None if since is None else _ms(since), 0)
        limit = max(1, min(limit, MAX_PAGE, SEARCH_CAP - after))
        wanted = list(dict.fromkeys([*BASE_PROPERTIES, *properties]))
        groups = []
        if since_ms is not None:
            when = Filter(property_name="lastmodifieddate", operator="GTE", value=str(since_ms))
            groups = [FilterGroup(filters=[when])]
        request = PublicObjectSearchRequest(
            filter_groups=groups,
            sorts=[{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
            properties=wanted,
            limit=limit,
            after=str(after) if after else None,
        )
        try:
            # The raw body (parsed once with json) instead of the generated models: 100 contacts a page, fast.
            raw = self._search.do_search(request, _preload_content=False, _request_timeout=TIMEOUT_S)
        except ApiException as exc:
            raise _error(exc, "reading contacts") from exc
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            raise CrmError(f"hubspot: cannot reach the API: {exc}", retry_after=SERVER_RETRY_S) from exc
        body = json.loads(raw.data)
        contacts = [c for c in map(_contact, body.get("results") or []) if c is not None]
        return CrmPage(contacts, self._next(body, since_ms, contacts))

    @staticmethod
    def _next(body: dict[str, Any], since_ms: int | None, contacts: list[CrmContact]) -> str | None:
        following = ((body.get("paging") or {}).get("next") or {}).get("after")
        if following is None:
            return None
        after = int(following)
        if after < SEARCH_CAP:
            return _cursor(since_ms, after)
        if not contacts:
            return None
        last = _ms(contacts[-1].modified_at)
        if since_ms is not None and last <= since_ms:
            # More than 10,000 records share one modified time: the search API cannot page past them.
            raise CrmError("hubspot: over 10,000 contacts modified at the same millisecond; cannot page further")
        return _cursor(last, 0)

    def write_back(self, outcomes: Sequence[Outcome]) -> None:
        for start in range(0, len(outcomes), MAX_PAGE):
            chunk = outcomes[start : start + MAX_PAGE]
            inputs = [SimplePublicObjectBatchInput(id=o.crm_id, properties=_texts(o.properties)) for o in chunk]
            try:
                self._batch.update(
                    BatchInputSimplePublicObjectBatchInput(inputs=inputs),
                    _preload_content=False,
                    _request_timeout=TIMEOUT_S,
                )
            except ApiException as exc:
                raise _error(exc, "writing outcomes") from exc
            except (OSError, urllib3.exceptions.HTTPError) as exc:
                raise CrmError(f"hubspot: cannot reach the API: {exc}", retry_after=SERVER_RETRY_S) from exc


def _texts(properties: dict[str, Any]) -> dict[str, str]:
    """HubSpot property values are strings; booleans as ``true``/``false``, nothing as an empty string."""
    out: dict[str, str] = {}
    for key, value in properties.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, datetime):
            out[key] = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        else:
            out[key] = "" if value is None else str(value)
    return out


def _contact(record: dict[str, Any]) -> CrmContact | None:
    props = record.get("properties") or {}
    modified = parse_time(props.get("lastmodifieddate")) or parse_time(record.get("updatedAt"))
    crm_id = record.get("id")
    if modified is None or crm_id is None:
        return None
    return CrmContact(
        crm_id=str(crm_id),
        email=props.get("email") or None,
        phone=props.get("phone") or None,
        properties=dict(props),
        modified_at=modified,
    )
