"""Work shared between engine workers through the database: contact partitions, worker heartbeats, job leases.

Events and enrollments are split by contact into partitions (``mod(contact_id, PARTITIONS)`` on PostgreSQL; one
partition on SQLite, which has one writer anyway). Each partition has its own event cursor and is leased to one
live worker, so a contact's events are taken in order by one worker at a time; a worker that stops renewing
its leases (or a process on this host that died) has its partitions taken over. Leases are fenced: a batch
locks its partition row and checks it still owns it before it reads, so an old owner that wakes up late
finds the partition gone instead of taking events twice.

Once-per-period jobs (scheduled entries, segment refresh, retention...) take a ``job_lease`` row: whoever
moves its ``until`` forward runs the job; everyone else skips that period.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection

from storage import raw

PARTITIONS_POSTGRES = 16  # matches the expression index ix_event_partition (migration 0028_scale_out)


def partition_count(conn: Connection) -> int:
    return int(raw.fetch(conn, "SELECT count(*) FROM engine_partition")[0][0])


def partition_filter(conn: Connection, column: str, partitions: Sequence[int]) -> tuple[str, list[int]]:
    """An SQL condition keeping ``column`` (a contact id) in ``partitions``; empty on SQLite's single one."""
    if conn.dialect.name != "postgresql":
        return "", []
    if len(partitions) == 1:
        return f" AND mod({column}, {PARTITIONS_POSTGRES}) = ?", list(partitions)
    return f" AND mod({column}, {PARTITIONS_POSTGRES}) IN ({raw.placeholders(len(partitions))})", list(partitions)


def heartbeat(conn: Connection, worker: str, now: int, started: int) -> None:
    statement = (
        "INSERT INTO engine_worker (id, started_at, seen_at) VALUES (?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at"
    )
    raw.fetch_none(conn, statement, [worker, started, now])


def live_workers(conn: Connection, since: int) -> list[str]:
    return [r[0] for r in raw.fetch(conn, "SELECT id FROM engine_worker WHERE seen_at >= ? ORDER BY id", [since])]


def forget_workers(conn: Connection, before: int) -> None:
    raw.fetch_none(conn, "DELETE FROM engine_worker WHERE seen_at < ?", [before])


def balance(
    conn: Connection, worker: str, *, now: int, lease_s: int, dead: Callable[[str], bool]
) -> list[int]:
    """Renew this worker's leases, take free or expired partitions up to its fair share, give back extras.

    ``dead(owner)`` says whether an owner is a process known to have died (on this host), whose partitions
    are free at once. Returns the partitions this worker holds, in order.
    """
    heartbeat(conn, worker, now, now)
    live = max(1, len(live_workers(conn, now - lease_s)))
    total = partition_count(conn)
    share = math.ceil(total / live)
    lock = " FOR UPDATE SKIP LOCKED" if conn.dialect.name == "postgresql" else ""
    rows = raw.fetch(conn, "SELECT part, owner, lease_until FROM engine_partition ORDER BY part" + lock)
    mine = [p for p, owner, _ in rows if owner == worker]
    free = [p for p, owner, until in rows if owner != worker and (owner is None or until < now or dead(owner))]
    keep, give = mine[:share], mine[share:]
    take = free[: max(0, share - len(keep))]
    held = sorted(keep + take)
    if give:
        _set_owner(conn, give, None, 0)
    if held:
        _set_owner(conn, held, worker, now + lease_s)
    return held


def _set_owner(conn: Connection, partitions: list[int], owner: str | None, until: int) -> None:
    where = f"part IN ({raw.placeholders(len(partitions))})"
    statement = f"UPDATE engine_partition SET owner = ?, lease_until = ? WHERE {where}"
    raw.fetch_none(conn, statement, [owner, until, *partitions])


def release(conn: Connection, worker: str) -> None:
    """Give every partition back (a worker stopping cleanly), so others take them without waiting."""
    raw.fetch_none(conn, "UPDATE engine_partition SET owner = NULL, lease_until = 0 WHERE owner = ?", [worker])
    raw.fetch_none(conn, "DELETE FROM engine_worker WHERE id = ?", [worker])


def lock_owned(conn: Connection, worker: str, partitions: Iterable[int], now: int) -> list[int]:
    """Of ``partitions``, those this worker still owns under a live lease, locked for this transaction (the
    fence: a worker taking them over waits for this transaction, and this worker sees the change after)."""
    wanted = list(partitions)
    if not wanted:
        return []
    lock = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    statement = (
        f"SELECT part FROM engine_partition WHERE part IN ({raw.placeholders(len(wanted))})"
        f" AND owner = ? AND lease_until >= ? ORDER BY part{lock}"
    )
    return [r[0] for r in raw.fetch(conn, statement, [*wanted, worker, now])]


def position(conn: Connection, partition: int) -> int:
    rows = raw.fetch(conn, "SELECT position FROM engine_partition WHERE part = ?", [partition])
    return int(rows[0][0]) if rows else 0


def set_position(conn: Connection, partition: int, value: int) -> None:
    raw.fetch_none(conn, "UPDATE engine_partition SET position = ? WHERE part = ?", [value, partition])


def set_all_positions(conn: Connection, value: int) -> None:
    """Every partition's cursor to ``value`` (the demo skips its history; a copied workspace starts where the
    source stopped)."""
    raw.fetch_none(conn, "UPDATE engine_partition SET position = ?", [value])


def positions(conn: Connection) -> dict[int, int]:
    return {r[0]: int(r[1]) for r in raw.fetch(conn, "SELECT part, position FROM engine_partition")}


def take_job(conn: Connection, name: str, worker: str, *, now: int, period_s: float) -> bool:
    """True when this worker runs ``name`` for the period starting now (nobody ran it within the period)."""
    until = now + max(1, int(period_s * 0.9))  # a little slack: the owner's next run is not refused for jitter
    statement = (
        "INSERT INTO job_lease (name, owner, lease_until) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until"
        " WHERE job_lease.lease_until <= ? RETURNING name"
    )
    return bool(raw.fetch(conn, statement, [name, worker, until, now]))


def event_partition(conn: Connection, part: int) -> tuple[str, list[int]]:
    """The condition on ``event`` keeping one partition's events ("" on SQLite's single partition)."""
    return partition_filter(conn, "contact_id", [part])


def unconsumed_events(conn: Connection) -> int:
    """Events past their partition's cursor: what the engine has yet to take (0 once it caught up)."""
    if conn.dialect.name == "postgresql":
        statement = (
            "SELECT count(*) FROM event e JOIN engine_partition p"
            f" ON p.part = mod(e.contact_id, {PARTITIONS_POSTGRES}) WHERE e.id > p.position"
        )
    else:
        statement = "SELECT count(*) FROM event WHERE id > (SELECT max(position) FROM engine_partition)"
    return int(raw.fetch(conn, statement)[0][0])


def serialise(conn: Connection, name: str) -> None:
    """Hold a PostgreSQL advisory lock named ``name`` until this transaction ends, so a decision taken from
    what was just read (an experiment's winner) is taken by one worker at a time. SQLite has one writer."""
    if conn.dialect.name == "postgresql":
        raw.fetch(conn, "SELECT pg_advisory_xact_lock(hashtext(?))", [name])
