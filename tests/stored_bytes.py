"""Everything a database holds, as bytes an attacker with a copy of it would read.

SQLite: the file and its write-ahead log, after a VACUUM (freed pages are overwritten) and a checkpoint.
PostgreSQL: the text of every row of every table (a dump's content; the server's files are not ours to read).
"""

from __future__ import annotations

from pathlib import Path

from app.core.context import AppContext


def stored_bytes(ctx: AppContext, *, vacuum: bool = True) -> bytes:
    if ctx.db.postgres:
        with ctx.db.engine.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).scalars().all()
            parts = [
                text
                for table in tables
                for text in conn.exec_driver_sql(f'SELECT t::text FROM "{table}" AS t').scalars().all()
            ]
        return "\n".join(parts).encode("utf-8", "surrogatepass")
    with ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if vacuum:
            conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(str(ctx.db.engine.url.database))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
