"""One CRM sync run, the same for every CRM: import the contacts changed since the last run, then write the chosen
journey outcomes back.

Import: pages are read oldest first from the stored position; each page's contacts go through ingestion (Segment
``identify`` messages, matched to existing people as shop webhooks are) and the position advances in the SAME
transaction, so a crash or a CRM refusal resumes exactly at the page that was not stored. A CrmError with
``retry_after`` ends the run and records when to try again (nothing sleeps); one without it is shown to the admin.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.access import secrets
from app.core.context import AppContext
from app.integrations import people
from app.integrations.crm import adapters, config
from app.integrations.crm.config import OUTCOMES, CrmSettings
from app.integrations.crm.source import CrmContact, CrmError, CrmSource, Outcome
from app.tracking.payloads import Identify
from app.tracking.service import IngestError, ingest
from storage import crm_queries

log = logging.getLogger("parcours.crm")
KNOWN = adapters  # importing it registers the CRMs
PAGE_SIZE = 100
LEASE = timedelta(minutes=15)  # renewed with every page stored
_locks: dict[str, threading.Lock] = {}
# Progress of the run in this process, per CRM (for the settings page while it runs).
PROGRESS: dict[str, dict[str, Any]] = {}


@dataclass
class RunResult:
    crm: str
    pages: int = 0
    contacts: int = 0
    skipped: int = 0  # erased people, unusable records
    written_back: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    busy: bool = False  # another run of this CRM was going on
    notes: list[str] = field(default_factory=list)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def source_for(ctx: AppContext, name: str, chosen: CrmSettings | None = None) -> CrmSource:
    """The adapter with its stored credentials; CrmError when they are missing or unreadable."""
    if name not in config.ADAPTERS:
        raise CrmError(f"{name}: not a known CRM")
    chosen = chosen or config.load(ctx, name)
    try:
        found = config.credentials(ctx, name)
    except secrets.SecretError as exc:
        raise CrmError(f"{name}: {exc}") from exc
    if found is None:
        raise CrmError(f"{name}: no credentials saved yet")
    return config.ADAPTERS[name][1](found, chosen)


def _person(ctx: AppContext, name: str, contact: CrmContact, mapping: dict[str, str]) -> people.Person:
    """The person a CRM record names: a property mapped to ``email`` or ``phone`` wins over the CRM's own field
    (both normalised as shops' are; a malformed one is left out), the other mapped properties become traits."""
    chosen = {"email": contact.email, "phone": contact.phone}
    traits: dict[str, Any] = {f"{name}_id": contact.crm_id}
    for prop, target in mapping.items():
        value = contact.properties.get(prop)
        if value in (None, ""):
            continue
        if target in chosen:
            chosen[target] = value
        else:
            traits[target] = value
    region = ctx.settings.default_region
    who = people.person(name, customer_id=contact.crm_id, region=region, **chosen)
    who.traits = traits
    return who


def _messages(ctx: AppContext, name: str, contacts: list[CrmContact], mapping: dict[str, str]) -> tuple[list, int]:
    """Identify messages for a page (its people looked up together), and how many were skipped."""
    pairs: list[tuple[CrmContact, people.Person]] = []
    for contact in contacts:
        try:
            pairs.append((contact, _person(ctx, name, contact, mapping)))
        except people.ShopError:
            continue  # an id HubSpot would never send (over 100 characters)
    with ctx.db.session() as session:
        found = people.identities_in(ctx, session, [who for _contact, who in pairs])
    out: list[Identify] = []
    for (contact, who), ids in zip(pairs, found, strict=True):
        if isinstance(ids, people.Ignored):
            continue  # erased: never imported again
        traits = dict(who.traits)
        if who.email:
            traits["email"] = who.email
        if who.phone:
            traits["phone"] = who.phone
        out.append(Identify(userId=ids[0], anonymousId=ids[1], traits=traits, timestamp=contact.modified_at))
    return out, len(contacts) - len(out)


def _store_page(ctx: AppContext, name: str, messages: list, position: dict[str, Any]) -> None:
    """The page's contacts and the new position, committed together."""

    def advance(session: Session) -> None:
        config.put_state(session, name, position, now=ctx.clock.now())

    try:
        ingest(ctx, messages, within=advance)
    except IngestError as exc:  # every message refused: nothing stored, but the page was read
        log.warning("%s: a page of %d contacts was refused: %s", name, len(messages), exc.problems[:3])
        config.update_state(ctx, name, position)


def import_changes(
    ctx: AppContext, name: str, source: CrmSource, chosen: CrmSettings, result: RunResult, progress: Callable
) -> None:
    """Read and store pages until the CRM has nothing newer; CrmError propagates with the position kept."""
    properties = list(chosen.mapping)
    position = config.state(ctx, name)
    since, cursor = _time(position.get("since")), position.get("cursor")
    while True:
        page = source.changed_since(since, cursor, properties, PAGE_SIZE)
        messages, skipped = _messages(ctx, name, page.contacts, chosen.mapping)
        newest = max((c.modified_at for c in page.contacts), default=since)
        if since is None or (newest is not None and newest > since):
            since = newest
        cursor = page.cursor
        lease = _iso(ctx.clock.now() + LEASE)
        _store_page(ctx, name, messages, {"since": _iso(since), "cursor": cursor, "running_until": lease})
        result.pages += 1
        result.contacts += len(messages)
        result.skipped += skipped
        progress(result)
        if cursor is None:
            return


def write_back(ctx: AppContext, name: str, source: CrmSource, chosen: CrmSettings, result: RunResult) -> None:
    """Send the chosen outcomes of contacts whose journeys changed since the last write-back."""
    if not chosen.outcomes:
        return
    started = int(ctx.clock.now().timestamp())
    since = int(config.state(ctx, name).get("written_back_at") or 0)
    with ctx.db.session() as session:
        changed = crm_queries.changed_contacts(session, since=since)
        ids = crm_queries.crm_ids(session, contact_ids=changed, key=f"{name}_id")
        found = crm_queries.outcomes(session, contact_ids=sorted(ids))
    outcomes = [Outcome(ids[cid], _properties(found[cid], chosen.outcomes)) for cid in sorted(ids)]
    if outcomes:
        source.write_back(outcomes)
    result.written_back = len(outcomes)
    config.update_state(ctx, name, {"written_back_at": started})


def _properties(found: dict[str, Any], chosen: list[str]) -> dict[str, Any]:
    values = {
        "journey": found["journey"] or "",
        "converted": found["converted"],
        "last_channel": found["channel"] or "",
        "last_message_at": datetime.fromtimestamp(found["sent_at"], UTC) if found["sent_at"] else None,
        "revenue": found["revenue"],
    }
    return {OUTCOMES[key]: values[key] for key in chosen}


def run(
    ctx: AppContext,
    name: str,
    *,
    source: CrmSource | None = None,
    progress: Callable[[RunResult], None] | None = None,
    force: bool = False,
) -> RunResult:
    """Import then write back, unless a retry time recorded by an earlier refusal has not come (``force`` ignores
    it) or another run holds the lease. The last run (time, contacts, error, retry time) is recorded for the
    settings page."""
    result = RunResult(name)
    retry_at = _time(config.state(ctx, name).get("retry_at"))
    if retry_at is not None and ctx.clock.now() < retry_at and not force:
        result.retry_at = retry_at
        result.notes.append("waiting for the retry time")
        return result
    lock = _locks.setdefault(name, threading.Lock())
    if not lock.acquire(blocking=False):
        result.busy = True
        return result
    try:
        # The lease keeps a scheduled run, a CLI run and another process's run from importing at once.
        if not config.claim(ctx, name, until=ctx.clock.now() + LEASE):
            result.busy = True
            return result
        _run(ctx, name, source, progress, result)
    finally:
        PROGRESS.pop(name, None)
        if not result.busy:
            config.update_state(ctx, name, {"running_until": None})
        lock.release()
    return result


def _run(ctx: AppContext, name: str, source: CrmSource | None, progress: Callable | None, result: RunResult) -> None:
    now = ctx.clock.now()
    chosen = config.load(ctx, name)

    def report(current: RunResult) -> None:
        PROGRESS[name] = {"pages": current.pages, "contacts": current.contacts}
        if progress is not None:
            progress(current)

    PROGRESS[name] = {"pages": 0, "contacts": 0}
    try:
        source = source or source_for(ctx, name, chosen)
        import_changes(ctx, name, source, chosen, result, report)
        write_back(ctx, name, source, chosen, result)
    except CrmError as exc:
        result.error = str(exc)
        if exc.retry_after is not None:
            result.retry_at = ctx.clock.now() + timedelta(seconds=exc.retry_after)
    config.update_state(
        ctx,
        name,
        {
            "retry_at": _iso(result.retry_at),
            "last_run": {
                "started_at": _iso(now),
                "finished_at": _iso(ctx.clock.now()),
                "pages": result.pages,
                "contacts": result.contacts,
                "skipped": result.skipped,
                "written_back": result.written_back,
                "error": result.error,
            },
        },
    )


def due(ctx: AppContext, name: str) -> bool:
    """An enabled CRM whose schedule has come (minutes since the last run) and whose retry time has passed."""
    chosen = config.load(ctx, name)
    if not chosen.enabled:
        return False
    stored = config.state(ctx, name)
    now = ctx.clock.now()
    retry_at = _time(stored.get("retry_at"))
    if retry_at is not None:
        return now >= retry_at
    last = _time((stored.get("last_run") or {}).get("started_at"))
    return last is None or now >= last + timedelta(minutes=chosen.minutes)


def run_due(ctx: AppContext) -> list[RunResult]:
    """Every enabled CRM whose time has come (the scheduler's job, every minute)."""
    results = []
    for name in sorted(config.ADAPTERS):
        if due(ctx, name):
            results.append(run(ctx, name))
    return results
