"""CLI of the database itself: ``db upgrade`` (run the migrations), ``db copy --to URL`` (move a workspace to an
empty PostgreSQL database, checked table by table) and ``db verify --to URL`` (the check alone).

The configured database (``PARCOURS_DATABASE_URL``) is the source; it is only ever read. URLs are printed with
their password masked.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from app.core.commands import CliError
from app.core.progress import ProgressBar
from app.core.settings import get_settings
from storage import copy
from storage.checksum import TableSum
from storage.db import Database

POSTGRES_SCHEMES = ("postgresql", "postgres")


def masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def first_line(exc: BaseException) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def target_url(raw: str) -> str:
    """``--to`` as a psycopg URL with a connect timeout, or a one-line refusal."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise CliError("--to: not a database URL (expected postgresql://user:password@host:port/database)") from exc
    if url.get_backend_name() not in POSTGRES_SCHEMES:
        raise CliError(f"--to: {masked(raw)} is not PostgreSQL; the target must be a postgresql:// URL")
    if not url.database:
        raise CliError(f"--to: {masked(raw)} names no database (postgresql://host:port/DATABASE)")
    url = url.set(drivername="postgresql+psycopg")
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": "10"})
    return url.render_as_string(hide_password=False)


@contextmanager
def reported(where: str, url: str) -> Iterator[None]:
    """Database failures as one line naming the database (masked), never a traceback."""
    try:
        yield
    except copy.SourceMissing as exc:
        raise CliError(f"{where} {masked(url)}: {exc}") from exc
    except SQLAlchemyError as exc:
        raise CliError(f"{where} {masked(url)}: {first_line(exc)}") from exc


def open_target(url: str) -> Database:
    """The target, migrated to the current schema (creating its tables, writing no rows)."""
    target = Database(url)
    with reported("target", url):
        target.migrate()
    return target


def check_schemas(source: Engine, source_url: str, target: Database) -> None:
    with reported("source", source_url), source.connect() as conn:
        source_heads = copy.schema_heads(conn)
    with reported("target", target.url), target.engine.connect() as conn:
        target_heads = copy.schema_heads(conn)
    if source_heads != target_heads:
        raise CliError(
            f"source {masked(source_url)} is at schema {', '.join(sorted(source_heads))}, not "
            f"{', '.join(sorted(target_heads))}: run `python main.py db upgrade` on it first, then copy again"
        )


def copy_rows(source: Engine, target: Database, progress: ProgressBar) -> list[TableSum]:
    """Every table in one target transaction; refused when the target already holds rows."""
    tables = copy.tables()
    with copy.snapshot(source) as read, target.engine.begin() as write:
        busy = copy.first_non_empty(write, tables)
        if busy is not None:
            raise CliError(
                f"target {masked(target.url)} already holds data (table {busy}); nothing was copied: "
                "copy into an empty database"
            )
        sums = []
        for table in tables:
            try:
                sums.append(copy.copy_table(read, write, table, copy.row_count(read, table), progress))
            except (SQLAlchemyError, copy.RowsRefused) as exc:
                raise CliError(
                    f"copy failed at table {table.name}: {first_line(exc)}; the target was left empty, "
                    "fix the cause and run the command again"
                ) from exc
        copy.reset_sequences(write, tables)
        copy.carry_positions(read, write)
    return sums


def source_sums(source: Engine) -> list[TableSum]:
    with copy.snapshot(source) as read:
        return [copy.checksum(read, table) for table in copy.tables()]


def compare(expected: list[TableSum], target: Database) -> int:
    """Print counts and checksums of both sides; exit 1 with a line naming the first table that differs."""
    with target.engine.connect() as conn:
        found = [copy.checksum(conn, table) for table in copy.tables()]
    print(f"{'table':<24} {'source rows':>12} {'target rows':>12}  {'source sum':<16}  {'target sum':<16}")
    for ours, theirs in zip(expected, found, strict=True):
        flag = "" if ours.matches(theirs) else "  MISMATCH"
        print(f"{ours.table:<24} {ours.rows:>12,} {theirs.rows:>12,}  {ours.digest}  {theirs.digest}{flag}")
    for ours, theirs in zip(expected, found, strict=True):
        if not ours.matches(theirs):
            print(
                f"error: table {ours.table} differs: {ours.rows:,} rows (sum {ours.digest}) in the source, "
                f"{theirs.rows:,} rows (sum {theirs.digest}) in the target",
                file=sys.stderr,
            )
            return 1
    print(f"verified: {len(found)} tables, {sum(s.rows for s in found):,} rows, counts and checksums equal")
    return 0


@contextmanager
def both_sides(to: str, *, migrate: bool) -> Iterator[tuple[str, Engine, Database]]:
    """The configured database opened read-only, and the ``--to`` database (migrated first for a copy)."""
    source_url, url = get_settings().database_url, target_url(to)
    with reported("source", source_url):
        source = copy.open_read_only(source_url)
    target = open_target(url) if migrate else Database(url)
    try:
        yield source_url, source, target
    finally:
        source.dispose()
        target.dispose()


def cmd_copy(args: argparse.Namespace) -> int:
    with both_sides(args.to, migrate=True) as (source_url, source, target):
        check_schemas(source, source_url, target)
        started = time.monotonic()
        with reported("target", target.url):
            sums = copy_rows(source, target, ProgressBar())
        rows = sum(s.rows for s in sums)
        seconds = max(time.monotonic() - started, 1e-9)
        print(f"copied {rows:,} rows in {len(sums)} tables in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
        with reported("target", target.url):
            return compare(sums, target)


def cmd_verify(args: argparse.Namespace) -> int:
    with both_sides(args.to, migrate=False) as (source_url, source, target):
        with reported("source", source_url):
            sums = source_sums(source)
        with reported("target", target.url):
            return compare(sums, target)


def cmd_upgrade(_args: argparse.Namespace) -> int:
    url = get_settings().database_url
    database = Database(url)
    try:
        with reported("database", url):
            database.migrate()
    finally:
        database.dispose()
    print(f"{masked(url)}: at the latest schema")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="the database: migrations, moving to PostgreSQL")
    dsub = parser.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("upgrade", help="migrate the configured database to the latest schema").set_defaults(
        func=cmd_upgrade
    )
    for name, func, text in (
        ("copy", cmd_copy, "copy the configured database into an empty PostgreSQL database, then verify it"),
        ("verify", cmd_verify, "compare row counts and checksums of the configured database and another"),
    ):
        p = dsub.add_parser(name, help=text)
        p.add_argument("--to", required=True, metavar="URL", help="postgresql://user:password@host:port/database")
        p.set_defaults(func=func)
