"""Every engine query: claims of due enrollments, batched writes, event reads and cursors.

All writes go through SQLAlchemy Core executemany on one connection; the caller owns the transaction,
so state changes, outbox rows and step counters of a batch commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from journeys.steps.types import ContactView, Message, State
from storage import raw
from storage.engine_models import EngineCursor, Enrollment, OutboxMessage, StepCount
from storage.models import Contact, Event, Journey, JourneyVersion
from storage.partitions import event_partition, partition_filter
from storage.quarantine import Parked, reason

ENR = Enrollment.__table__
OUT = OutboxMessage.__table__
CNT = StepCount.__table__
CUR = EngineCursor.__table__
CON = Contact.__table__
EVT = Event.__table__
JRN = Journey.__table__
VER = JourneyVersion.__table__

IN_CHUNK = 900  # stays under SQLite's bound-parameter limit


class Conflict(RuntimeError):
    """Another worker changed enrollments of this batch first; the batch is rolled back and retried."""


def _chunks(values: list[Any], size: int = IN_CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def journey_states(conn: Connection) -> dict[int, tuple[str, int | None]]:
    """journey id -> (status, live version id) for every journey that is live or paused."""
    rows = conn.execute(
        select(JRN.c.id, JRN.c.status, JRN.c.live_version_id).where(JRN.c.status.in_(("live", "paused")))
    )
    return {row.id: (row.status, row.live_version_id) for row in rows}


def version_document(conn: Connection, version_id: int) -> tuple[int, dict[str, Any]]:
    row = conn.execute(select(VER.c.journey_id, VER.c.document).where(VER.c.id == version_id)).one()
    return row.journey_id, row.document


ENR_COLUMNS = (
    "id, journey_id, version_id, contact_id, entry_no, node_id, status, phase, due_at, wait_event,"
    " resume_port, context, entered_at"
)


def _states(rows: Iterable[Any]) -> tuple[list[State], list[Parked]]:
    """Enrollment rows as states, and the rows whose stored context cannot be read (to be parked)."""
    states: list[State] = []
    bad: list[Parked] = []
    for row in rows:
        try:  # free unless it raises; one unreadable row must not sink the batch
            states.append(State(*row[:11], context=raw.loads(row[11]), entered_at=row[12]))
        except ValueError as exc:
            bad.append(Parked("enrollment", row[0], reason(exc)))
    return states, bad


def claim_due(
    conn: Connection,
    *,
    now: int,
    journey_ids: list[int],
    limit: int,
    partitions: list[int],
    ids: list[int] | None = None,
) -> tuple[list[State], list[Parked]]:
    """The next due enrollments of running journeys in this worker's contact ``partitions``, oldest first
    (skipping rows other workers hold), and the unreadable ones among them. ``ids`` narrows the claim to
    those enrollments (isolating a failed batch)."""
    if not journey_ids or not partitions:
        return [], []
    in_parts, part_params = partition_filter(conn, "contact_id", partitions)
    statement = (
        f"SELECT {ENR_COLUMNS} FROM enrollment WHERE status = 'active' AND due_at <= ?"
        f" AND journey_id IN ({raw.placeholders(len(journey_ids))}){in_parts}"
    )
    params = [now, *journey_ids, *part_params]
    if ids is not None:
        rows: list[Any] = []
        for chunk in _chunks(ids, max(IN_CHUNK - len(params), 100)):
            narrowed = statement + f" AND id IN ({raw.placeholders(len(chunk))})"
            rows.extend(raw.fetch(conn, narrowed, [*params, *chunk]))
        return _states(rows)
    statement += " ORDER BY due_at LIMIT ?"
    if conn.dialect.name == "postgresql":
        statement += " FOR UPDATE SKIP LOCKED"
    return _states(raw.fetch(conn, statement, [*params, limit]))


def due_ids(conn: Connection, *, now: int, journey_ids: list[int], limit: int, partitions: list[int]) -> list[int]:
    """Ids of what ``claim_due`` would take, without reading the rows (to split a failed batch)."""
    if not journey_ids or not partitions:
        return []
    in_parts, part_params = partition_filter(conn, "contact_id", partitions)
    statement = (
        "SELECT id FROM enrollment WHERE status = 'active' AND due_at <= ?"
        f" AND journey_id IN ({raw.placeholders(len(journey_ids))}){in_parts} ORDER BY due_at LIMIT ?"
    )
    return [row[0] for row in raw.fetch(conn, statement, [now, *journey_ids, *part_params, limit])]


def active_in_journey(
    conn: Connection, *, journey_id: int, after_id: int, limit: int
) -> tuple[list[State], list[Parked], int]:
    """The next active enrollments of one journey in id order (for ending them all in chunks), the unreadable
    ones, and the last id seen (0 when there is none)."""
    statement = (
        f"SELECT {ENR_COLUMNS} FROM enrollment WHERE journey_id = ? AND status = 'active' AND id > ?"
        " ORDER BY id LIMIT ?"
    )
    rows = raw.fetch(conn, statement, [journey_id, after_id, limit])
    return (*_states(rows), rows[-1][0] if rows else 0)


def active_for_contacts(conn: Connection, contact_ids: list[int]) -> tuple[list[State], list[Parked]]:
    out: list[State] = []
    bad: list[Parked] = []
    for chunk in _chunks(contact_ids):
        statement = (
            f"SELECT {ENR_COLUMNS} FROM enrollment"
            f" WHERE contact_id IN ({raw.placeholders(len(chunk))}) AND status = 'active'"
        )
        states, unreadable = _states(raw.fetch(conn, statement, chunk))
        out.extend(states)
        bad.extend(unreadable)
    return out, bad


def entry_history(
    conn: Connection, *, journey_ids: list[int], contact_ids: list[int]
) -> dict[tuple[int, int], list[int]]:
    """(journey, contact) -> [runs so far, runs still active]."""
    out: dict[tuple[int, int], list[int]] = {}
    if not journey_ids:
        return out
    active = func.sum((ENR.c.status == "active").cast(ENR.c.entry_no.type))
    for chunk in _chunks(contact_ids):
        query = (
            select(ENR.c.journey_id, ENR.c.contact_id, func.max(ENR.c.entry_no), active)
            .where(ENR.c.contact_id.in_(chunk), ENR.c.journey_id.in_(journey_ids))
            .group_by(ENR.c.journey_id, ENR.c.contact_id)
        )
        for journey_id, contact_id, runs, running in conn.execute(query):
            out[(journey_id, contact_id)] = [int(runs or 0), int(running or 0)]
    return out


def load_contacts(conn: Connection, contact_ids: Iterable[int]) -> dict[int, ContactView]:
    ids = sorted(set(contact_ids))
    out: dict[int, ContactView] = {}
    for chunk in _chunks(ids):
        statement = (
            "SELECT id, external_id, email, phone, push_id, time_zone, locale, platform, attributes, consent,"
            " device, lat, lon, first_seen_at, last_seen_at"
            f" FROM contact WHERE id IN ({raw.placeholders(len(chunk))})"
        )
        for row in raw.fetch(conn, statement, chunk):
            out[row[0]] = ContactView(
                *row[:8],
                attributes=raw.loads(row[8]),
                consent=raw.loads_shared(row[9]),
                device=row[10],
                lat=row[11],
                lon=row[12],
                first_seen_at=raw.stored_time(row[13]),
                last_seen_at=raw.stored_time(row[14]),
            )
    return out


def recent_sends(
    conn: Connection, *, contact_ids: list[int], since: int
) -> dict[int, dict[str, list[tuple[int, int]]]]:
    """contact -> channel -> [(created_at, journey_id)] of messages queued or sent since ``since``."""
    out: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for chunk in _chunks(sorted(set(contact_ids))):
        query = select(OUT.c.contact_id, OUT.c.channel, OUT.c.created_at, OUT.c.journey_id).where(
            OUT.c.contact_id.in_(chunk),
            OUT.c.created_at > since,
            OUT.c.status.in_(("pending", "sent", "sandbox")),
            OUT.c.transactional.is_(False),
        )
        for contact_id, channel, created_at, journey_id in conn.execute(query):
            out.setdefault(contact_id, {}).setdefault(channel, []).append((created_at, journey_id))
    return out


def _held_out(state: State) -> str:
    """The holdout group marked at entry (``holdout``, ``control_group``); a split's control (True) is not one."""
    held = state.context.get("control")
    return held if isinstance(held, str) else ""


def insert_enrollments(conn: Connection, states: list[State], now: int) -> None:
    rows = [
        (
            s.journey_id,
            s.version_id,
            s.contact_id,
            s.entry_no,
            s.node_id,
            s.status,
            s.phase,
            s.due_at,
            s.wait_event,
            s.resume_port,
            raw.dumps(s.context),
            s.entered_at,
            now,
            _held_out(s),
        )
        for s in states
    ]
    raw.execute_many(
        conn,
        "INSERT INTO enrollment (journey_id, version_id, contact_id, entry_no, node_id, status, phase, due_at,"
        " wait_event, resume_port, context, entered_at, updated_at, held_out) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def update_enrollments(conn: Connection, changes: list[tuple[State, tuple[str, int, int]]], now: int) -> None:
    """Write new states, each guarded by the (node, phase, due) it was read with."""
    rows = [
        (
            s.node_id,
            s.status,
            s.phase,
            s.due_at,
            s.wait_event,
            s.resume_port,
            raw.dumps(s.context),
            now,
            s.id,
            node,
            phase,
            due,
        )
        for s, (node, phase, due) in changes
    ]
    changed = raw.execute_many(
        conn,
        "UPDATE enrollment SET node_id = ?, status = ?, phase = ?, due_at = ?, wait_event = ?, resume_port = ?,"
        " context = ?, updated_at = ? WHERE id = ? AND status = 'active' AND node_id = ? AND phase = ? AND due_at = ?",
        rows,
    )
    if changed != len(rows):
        raise Conflict(f"{len(rows) - changed} enrollment(s) changed by another worker")


def insert_messages(conn: Connection, messages: list[tuple[State, Message]], now: int) -> None:
    rows = [
        (
            m.message_id,
            s.journey_id,
            s.version_id,
            m.node_id,
            s.variant,
            s.contact_id,
            m.channel,
            m.transactional,
            raw.dumps(m.payload),
            "pending",
            0,
            now,
            now,
        )
        for s, m in messages
    ]
    raw.execute_many(
        conn,
        "INSERT INTO outbox (message_id, journey_id, version_id, node_id, variant, contact_id, channel, transactional,"
        " payload, status, attempts, next_attempt_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def bump_counts(conn: Connection, counts: dict[tuple[int, int, str, str, str, str], int]) -> None:
    """Add to the step counters with one upsert per distinct key (SQLite and PostgreSQL)."""
    if not counts:
        return
    maker = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    keys = ("journey_id", "version_id", "node_id", "variant", "outcome", "reason")
    rows = [{**dict(zip(keys, key, strict=True)), "count": n} for key, n in counts.items()]
    statement = maker(CNT)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={"count": CNT.c.count + statement.excluded.count}
    )
    conn.execute(statement, rows)


def save_attributes(conn: Connection, contacts: Iterable[ContactView], when: Any) -> None:
    rows = [{"b_id": c.id, "attributes": c.attributes, "updated_at": when} for c in contacts if c.attributes_changed]
    if rows:
        statement = (
            update(CON)
            .where(CON.c.id == bindparam("b_id"))
            .values(attributes=bindparam("attributes"), updated_at=bindparam("updated_at"))
        )
        conn.execute(statement, rows)


def read_events(
    conn: Connection, *, after: int, limit: int, part: int, until: int | None = None
) -> tuple[list[tuple[int, int, str, dict[str, Any]]], list[Parked], int]:
    """(id, contact id, name, properties) of a partition's next events after its cursor (up to ``until``), in
    id order; the events whose properties cannot be read; and the last id read (0 when nothing was)."""
    in_part, part_params = event_partition(conn, part)
    statement = f"SELECT id, contact_id, name, properties FROM event WHERE id > ?{in_part}"
    params = [after, *part_params]
    if until is not None:
        statement += " AND id <= ?"
        params.append(until)
    rows = raw.fetch(conn, statement + " ORDER BY id LIMIT ?", [*params, limit])
    events: list[tuple[int, int, str, dict[str, Any]]] = []
    bad: list[Parked] = []
    for r in rows:
        try:  # free unless it raises
            events.append((r[0], r[1], r[2], raw.loads(r[3])))
        except ValueError as exc:
            bad.append(Parked("event", r[0], reason(exc)))
    return events, bad, rows[-1][0] if rows else 0


def event_ids(conn: Connection, *, after: int, limit: int, part: int) -> list[int]:
    in_part, part_params = event_partition(conn, part)
    statement = f"SELECT id FROM event WHERE id > ?{in_part} ORDER BY id LIMIT ?"
    rows = raw.fetch(conn, statement, [after, *part_params, limit])
    return [row[0] for row in rows]


def event_by_id(conn: Connection, event_id: int) -> list[tuple[int, int, str, dict[str, Any]]]:
    """One event, decoded (raises when its properties cannot be read); empty when it no longer exists."""
    rows = raw.fetch(conn, "SELECT id, contact_id, name, properties FROM event WHERE id = ?", [event_id])
    return [(r[0], r[1], r[2], raw.loads(r[3])) for r in rows]


def get_cursor(conn: Connection, name: str) -> int | None:
    """A named position (schedule and date entries); event cursors live per partition (storage/partitions.py)."""
    return conn.execute(select(CUR.c.position).where(CUR.c.name == name)).scalar_one_or_none()


def set_cursor(conn: Connection, name: str, position: int) -> None:
    if get_cursor(conn, name) is None:
        conn.execute(insert(CUR).values(name=name, position=position))
    else:
        conn.execute(update(CUR).where(CUR.c.name == name).values(position=position))


def max_event_id(conn: Connection) -> int:
    return int(conn.execute(select(func.max(EVT.c.id))).scalar_one() or 0)


def saved_segments(conn: Connection) -> dict[str, Any]:
    """Saved segment trees by name, for branch conditions that refer to segments."""
    from sqlmodel import Session

    from storage.segments import saved_conditions

    with Session(bind=conn) as session:
        return saved_conditions(session)


def events_for_contacts(conn: Connection, contact_ids: list[int]) -> dict[int, list[tuple[str, Any, dict[str, Any]]]]:
    """contact -> [(name, timestamp, properties)], for ``performed`` conditions in branches."""
    out: dict[int, list[tuple[str, Any, dict[str, Any]]]] = {}
    for chunk in _chunks(sorted(set(contact_ids))):
        query = select(EVT.c.contact_id, EVT.c.name, EVT.c.timestamp, EVT.c.properties).where(
            EVT.c.contact_id.in_(chunk)
        )
        for contact_id, name, timestamp, properties in conn.execute(query):
            out.setdefault(contact_id, []).append((name, timestamp, dict(properties or {})))
    return out


def active_by_node(conn: Connection, *, journey_id: int) -> dict[str, int]:
    """How many contacts are on each node of a journey right now."""
    query = (
        select(ENR.c.node_id, func.count())
        .where(ENR.c.journey_id == journey_id, ENR.c.status == "active")
        .group_by(ENR.c.node_id)
    )
    return {node: int(n) for node, n in conn.execute(query)}
