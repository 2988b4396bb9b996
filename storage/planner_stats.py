"""Planner statistics of the engine's hot tables on PostgreSQL, refreshed when they have gone stale.

PostgreSQL plans each query from its statistics; autovacuum refreshes them after ``50 + 10 %`` of a table's rows
changed. Where autovacuum is off, slow or behind (it wakes once a minute), a table that grew from nothing in a
burst (a big segment entering a journey) is still planned as a 20-row table: an index is read whole for every
batch, and the engine slows down as the table grows. ``refresh`` applies the same rule itself.
"""

from __future__ import annotations

from sqlalchemy import Connection

from storage import raw

HOT_TABLES = ("enrollment", "event", "outbox", "contact")  # read by contact or due time in every engine batch
_STALE = (
    "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
    " WHERE s.schemaname = current_schema() AND s.relname IN ({})"
    " AND s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) ORDER BY s.relname"
)
_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('parcours-planner-statistics'))"


def refresh(conn: Connection) -> list[str]:
    """``ANALYZE`` each hot table whose statistics are stale (PostgreSQL; nothing on SQLite, which plans from its
    indexes alone). One process at a time does it: the others skip. Returns the tables analysed."""
    if conn.dialect.name != "postgresql":
        return []
    if not raw.fetch(conn, _LOCK)[0][0]:
        return []
    stale = [row[0] for row in raw.fetch(conn, _STALE.format(raw.placeholders(len(HOT_TABLES))), HOT_TABLES)]
    for table in stale:
        if table in HOT_TABLES:  # names from this module only, never from input
            conn.exec_driver_sql(f"ANALYZE {table}")
    return stale
