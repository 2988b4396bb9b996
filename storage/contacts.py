"""Contacts and events in batches: identity resolution, profile updates, alias merges, event inserts.

Everything here is set-based (IN lookups, executemany) so ingestion and CSV import stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from storage import contacts_pg
from storage import raw as fast_json
from storage.audience_models import SegmentMember
from storage.models import Contact, Event

CONTACTS = Contact.__table__
EVENTS = Event.__table__
MEMBERS = SegmentMember.__table__
CHUNK = 5_000
PROFILE_COLUMNS = (
    "external_id",
    "anonymous_id",
    "email",
    "phone",
    "push_id",
    "time_zone",
    "locale",
    "platform",
    "device",
    "lat",
    "lon",
    "attributes",
    "consent",
    "first_seen_at",
    "last_seen_at",
)


def _sqlite(session: Session) -> Any:
    """The raw sqlite3 connection of the session's transaction, or None on other databases.

    Ingestion is a hot path: on SQLite the statements below run through sqlite3 executemany with static
    SQL and bound parameters, which measured several times faster than Core's parameter processing.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    return connection.connection.driver_connection


@lru_cache(maxsize=8_192)  # batches repeat the same few timestamps thousands of times
def _db_time(value: datetime | None) -> str | None:
    """A datetime in the storage format of UTCDateTime on SQLite (naive UTC, microseconds)."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


JSON_COLUMNS = ("attributes", "consent")
PLAIN_COLUMNS = PROFILE_COLUMNS[:11]  # then attributes, consent, first_seen_at, last_seen_at
TIME_COLUMNS = ("first_seen_at", "last_seen_at")


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _select_in(
    session: Session, sql: str, values: Sequence[Any], core: Callable[[Sequence[Any]], Any]
) -> Iterator[Any]:
    """Rows of ``sql`` (static text ending in ``IN ({})``) for chunks of ``values``.

    On SQLite the text runs on the driver with bound parameters (Core's expanding-IN compilation cost more
    than the lookup itself on ingestion batches); elsewhere ``core(chunk)`` builds the same query.
    """
    raw = _sqlite(session)
    postgres = raw is None and session.connection().dialect.name == "postgresql"
    for chunk in _chunks(values):
        if raw is not None:
            yield from raw.execute(sql.format(", ".join("?" * len(chunk))), list(chunk))
        elif postgres:
            yield from contacts_pg.select_any(session, sql, chunk)
        else:
            yield from session.execute(core(chunk))


def ids_by(session: Session, column: str, values: Iterable[str]) -> dict[str, int]:
    """Live (not merged) contact id per value of a unique-ish column (external_id, anonymous_id, email)."""
    wanted = sorted({v for v in values if v})
    col = CONTACTS.c[column]  # a known column name: the SQL text below is built from code, never input
    out: dict[str, int] = {}
    rows = _select_in(
        session,
        f"SELECT {col.name}, id, merged_into_id FROM contact WHERE {col.name} IN ({{}}) ORDER BY id",
        wanted,
        lambda chunk: (
            select(col, CONTACTS.c.id, CONTACTS.c.merged_into_id).where(col.in_(chunk)).order_by(CONTACTS.c.id)
        ),
    )
    for value, contact_id, merged_into in rows:
        if merged_into is None:
            out[value] = contact_id
        else:
            out.setdefault(value, merged_into)
    return out


def insert_contacts(session: Session, rows: list[dict[str, Any]], *, now: datetime) -> list[int]:
    """Create contacts; returns their ids in the order given. A row may carry its own ``created_at`` (an
    import of older contacts); otherwise it is ``now``."""
    if not rows:
        return []
    full = [{"attributes": {}, "consent": {}, "created_at": now, "updated_at": now, **row} for row in rows]
    keys = sorted({k for row in full for k in row})
    full = [{k: row.get(k) for k in keys} for row in full]
    for row in full:
        row["attributes"] = row["attributes"] or {}
        row["consent"] = row["consent"] or {}
    raw = _sqlite(session)
    if raw is None:
        return _insert_contacts_shared(session, full)
    sql = f"INSERT INTO contact ({', '.join(keys)}) VALUES ({', '.join('?' for _ in keys)})"
    raw.executemany(sql, [[_to_db(k, row[k]) for k in keys] for row in full])
    # The insert took SQLite's write lock for the rest of the transaction, and a rowid table hands out
    # max(id) + 1, so our rows are exactly the last len(full) ids.
    last = raw.execute("SELECT max(id) FROM contact").fetchone()[0]
    return list(range(last - len(full) + 1, last + 1))


def _insert_contacts_shared(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """``insert_contacts`` on a database many processes write at once (PostgreSQL).

    Another process may create the same person (the same external id) between our lookup and our insert: its
    row wins and ours is not written (``ON CONFLICT DO NOTHING`` waits for its commit), and we return its id,
    read again, so the batch goes on with the one contact both processes name.
    """
    named = [row for row in rows if row.get("external_id")]
    contacts_pg.take_turns_on(session, sorted({row["external_id"] for row in named}))
    ids: dict[int, int] = {}
    if len(named) < len(rows):
        anonymous = [(place, row) for place, row in enumerate(rows) if not row.get("external_id")]
        query = insert(CONTACTS).returning(CONTACTS.c.id, sort_by_parameter_order=True)
        new = session.execute(query, [row for _, row in anonymous]).scalars().all()
        ids.update({place: cid for (place, _), cid in zip(anonymous, new, strict=True)})
    if named:
        query = (
            pg_insert(CONTACTS)
            .on_conflict_do_nothing(index_elements=[CONTACTS.c.external_id])
            .returning(CONTACTS.c.external_id, CONTACTS.c.id)
        )
        made: dict[str, int] = {}
        for chunk in _chunks(named):
            made.update({uid: cid for uid, cid in session.execute(query, list(chunk))})
        lost = [row["external_id"] for row in named if row["external_id"] not in made]
        made.update(ids_by(session, "external_id", lost) if lost else {})
        ids.update({place: made[row["external_id"]] for place, row in enumerate(rows) if row.get("external_id")})
    return [ids[place] for place in range(len(rows))]


def _to_db(key: str, value: Any) -> Any:
    if key in JSON_COLUMNS or key == "properties":
        return None if value is None else fast_json.dumps(value)
    if isinstance(value, datetime):
        return _db_time(value)
    return value


def load_profiles(session: Session, contact_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(contact_ids))
    out: dict[int, dict[str, Any]] = {}
    raw = _sqlite(session)
    if raw is not None:
        sql_columns = ", ".join(("id", *PROFILE_COLUMNS))
        for chunk in _chunks(ids):
            sql = f"SELECT {sql_columns} FROM contact WHERE id IN ({', '.join('?' for _ in chunk)})"
            for row in raw.execute(sql, list(chunk)):
                data = dict(zip(PROFILE_COLUMNS, row[1:], strict=True))
                for key in JSON_COLUMNS:
                    data[key] = fast_json.parse(data[key]) if data[key] else {}
                for key in TIME_COLUMNS:
                    data[key] = fast_json.stored_time(data[key])
                out[row[0]] = data
        return out
    columns = [CONTACTS.c.id, *(CONTACTS.c[name] for name in PROFILE_COLUMNS)]
    for chunk in _chunks(ids):
        for row in session.execute(_locked(select(*columns).where(CONTACTS.c.id.in_(chunk)))):
            data = dict(row._mapping)
            out[data.pop("id")] = data
    return out


def _locked(query: Select[Any]) -> Select[Any]:
    """Rows read to be written back, locked until the transaction ends and in id order: two ingestion processes
    touching the same people wait for each other instead of losing an update or deadlocking (PostgreSQL)."""
    return query.order_by(CONTACTS.c.id).with_for_update()


def save_profiles(session: Session, profiles: dict[int, dict[str, Any]], *, now: datetime) -> None:
    """Write whole profiles back with one executemany."""
    if not profiles:
        return
    raw = _sqlite(session)
    if raw is not None:
        sql = f"UPDATE contact SET {', '.join(f'{k} = ?' for k in PROFILE_COLUMNS)}, updated_at = ? WHERE id = ?"
        stamp = _db_time(now)
        raw.executemany(sql, [_profile_row(profile, stamp, cid) for cid, profile in profiles.items()])
        return
    values = {name: bindparam(f"v_{name}") for name in PROFILE_COLUMNS}
    query = update(CONTACTS).where(CONTACTS.c.id == bindparam("v_id")).values(**values, updated_at=now)
    params = [{"v_id": cid, **{f"v_{k}": profile.get(k) for k in PROFILE_COLUMNS}} for cid, profile in profiles.items()]
    session.execute(query, params)


TOUCH_COLUMNS = ("push_id", "time_zone", "locale", "platform", "device", "lat", "lon")
_TOUCH_PLACE = {name: place for place, name in enumerate(TOUCH_COLUMNS, start=2)}


class _TimeTexts(dict[datetime, str | None]):
    """``_db_time`` remembered per value: a batch's events mostly share a handful of times."""

    def __call__(self, value: datetime) -> str | None:
        text = self.get(value)
        if text is None:
            text = self[value] = _db_time(value)
        return text


def _touched(row: Sequence[Any], change: dict[str, Any], convert: Callable[[Any], Any]) -> list[Any] | None:
    """The new values of ``(first_seen_at, last_seen_at, *TOUCH_COLUMNS)`` for one contact row (its id
    first), or None when nothing changes."""
    current = row[1:]
    wanted = list(current)
    for key, value in change["columns"].items():
        place = _TOUCH_PLACE.get(key)
        if place is not None and value is not None:
            wanted[place] = value
    first, last = convert(change["first"]), convert(change["last"])
    if wanted[0] is None or first < wanted[0]:
        wanted[0] = first
    if wanted[1] is None or last > wanted[1]:
        wanted[1] = last
    return None if tuple(wanted) == tuple(current) else wanted


def touch_contacts(session: Session, changes: dict[int, dict[str, Any]], *, now: datetime) -> None:
    """Light updates for contacts that only sent events: seen times widen, context columns overwrite.

    ``changes`` maps a contact id to ``{"first": datetime, "last": datetime, "columns": {...}}``. Rows are
    read without their JSON and only the contacts that really change are written.
    """
    if not changes:
        return
    names = ("first_seen_at", "last_seen_at", *TOUCH_COLUMNS)
    raw = _sqlite(session)
    rows = []
    for chunk in _chunks(sorted(changes)):
        if raw is not None:  # seen times stay texts in the storage format, which sort like the times
            sql = f"SELECT id, {', '.join(names)} FROM contact WHERE id IN ({', '.join('?' for _ in chunk)})"
            found = raw.execute(sql, list(chunk)).fetchall()
        else:
            query = select(CONTACTS.c.id, *(CONTACTS.c[n] for n in names)).where(CONTACTS.c.id.in_(chunk))
            found = session.execute(_locked(query))
        convert = _TimeTexts() if raw is not None else (lambda value: value)
        for row in found:
            wanted = _touched(row, changes[row[0]], convert)
            if wanted is not None:
                rows.append((row[0], dict(zip(names, wanted, strict=True))))
    if not rows:
        return
    if raw is not None:
        sql = f"UPDATE contact SET {', '.join(f'{n} = ?' for n in names)}, updated_at = ? WHERE id = ?"
        stamp = _db_time(now)
        raw.executemany(sql, [[*(w[n] for n in names), stamp, cid] for cid, w in rows])
        return
    contacts_pg.update_seen(session, names, rows, now)


def _profile_row(profile: dict[str, Any], stamp: str | None, contact_id: int) -> list[Any]:
    row: list[Any] = [profile.get(k) for k in PLAIN_COLUMNS]
    row.append(fast_json.dumps(profile.get("attributes") or {}))
    row.append(fast_json.dumps(profile.get("consent") or {}))
    row.append(_db_time(profile.get("first_seen_at")))
    row.append(_db_time(profile.get("last_seen_at")))
    row.append(stamp)
    row.append(contact_id)
    return row


def existing_message_ids(session: Session, message_ids: Iterable[str]) -> set[str]:
    wanted = sorted({m for m in message_ids if m})
    rows = _select_in(
        session,
        "SELECT message_id FROM event WHERE message_id IN ({})",
        wanted,
        lambda chunk: select(EVENTS.c.message_id).where(EVENTS.c.message_id.in_(chunk)),
    )
    return {row[0] for row in rows}


def insert_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert events; a message id already stored (a concurrent retry) is skipped, not an error. Events without
    a message id (imported history) are always inserted."""
    if not rows:
        return
    raw = _sqlite(session)
    if raw is None:
        contacts_pg.insert_events(session, rows)
        return
    stamp = _TimeTexts()
    dumps = fast_json.dumps
    raw.executemany(
        "INSERT INTO event (contact_id, name, properties, timestamp, message_id, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
        [
            (
                r["contact_id"],
                r["name"],
                dumps(r["properties"]),
                stamp(r["timestamp"]),
                r.get("message_id"),
                stamp(r["received_at"]),
            )
            for r in rows
        ],
    )


@dataclass(frozen=True)
class Merge:
    source_id: int
    target_id: int
    events_moved: int


def merge_contacts(session: Session, *, source_id: int, target_id: int, now: datetime) -> Merge:
    """Fold ``source`` into ``target``: events move, the target's values win, gaps are filled from the source.

    The source row stays (other tables may point at it) with ``merged_into_id`` set and no external id.
    """
    profiles = load_profiles(session, [source_id, target_id])
    source, target = profiles[source_id], profiles[target_id]
    merged = dict(target)
    for key in PROFILE_COLUMNS:
        if merged.get(key) is None and key != "external_id":
            merged[key] = source.get(key)
    merged["attributes"] = {**(source.get("attributes") or {}), **(target.get("attributes") or {})}
    merged["consent"] = {**(source.get("consent") or {}), **(target.get("consent") or {})}
    firsts = [t for t in (source.get("first_seen_at"), target.get("first_seen_at")) if t]
    lasts = [t for t in (source.get("last_seen_at"), target.get("last_seen_at")) if t]
    merged["first_seen_at"] = min(firsts) if firsts else None
    merged["last_seen_at"] = max(lasts) if lasts else None
    moved = session.execute(update(EVENTS).where(EVENTS.c.contact_id == source_id).values(contact_id=target_id))
    session.execute(delete(MEMBERS).where(MEMBERS.c.contact_id == source_id))
    session.execute(
        update(CONTACTS)
        .where(CONTACTS.c.id == source_id)
        .values(external_id=None, merged_into_id=target_id, updated_at=now)
    )
    save_profiles(session, {target_id: merged}, now=now)
    return Merge(source_id=source_id, target_id=target_id, events_moved=moved.rowcount or 0)


def set_external_id(session: Session, *, contact_id: int, external_id: str, now: datetime) -> None:
    session.execute(update(CONTACTS).where(CONTACTS.c.id == contact_id).values(external_id=external_id, updated_at=now))
