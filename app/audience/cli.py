"""CLI commands of the audience area: ``apikey``, ``token``, ``contacts import`` and ``segments``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.access import audit
from app.core import context


def _error(message: str) -> Exception:
    from app.core.cli import CliError

    return CliError(message)


def _create(args: argparse.Namespace, what: str, role: str | None) -> int:
    """Print a new key or token once (stdout, for scripts) and say what it is on stderr."""
    from app.access import api_keys as api_key_service

    ctx = context.init()
    try:
        if role is None:
            info, raw = api_key_service.create(ctx, args.name, actor="cli")
        else:
            info, raw = api_key_service.create_token(ctx, args.name, role=role, actor="cli")
    except ValueError as exc:
        raise _error(str(exc)) from exc
    print(raw)
    print(f"{what} {info.id} ({info.prefix}…) created; it is shown only once, store it now", file=sys.stderr)
    return 0


def _revoke(args: argparse.Namespace, what: str, tokens: bool) -> int:
    from app.access import api_keys as api_key_service

    revoke = api_key_service.revoke_token if tokens else api_key_service.revoke
    try:
        revoke(context.init(), args.id, actor="cli")
    except api_key_service.UnknownApiKey as exc:
        raise _error(str(exc)) from exc
    print(f"{what} {args.id} revoked")
    return 0


def _state(key: Any) -> str:
    return f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"


def cmd_apikey_create(args: argparse.Namespace) -> int:
    return _create(args, "key", None)


def cmd_apikey_list(_args: argparse.Namespace) -> int:
    from app.access import api_keys as api_key_service

    keys = api_key_service.list_all(context.init())
    if not keys:
        print("no API keys yet")
    for key in keys:
        print(f"{key.id}\t{key.prefix}…\t{_state(key)}\t{key.created_at:%Y-%m-%d}\t{key.name}")
    return 0


def cmd_apikey_revoke(args: argparse.Namespace) -> int:
    return _revoke(args, "key", tokens=False)


def cmd_token_create(args: argparse.Namespace) -> int:
    return _create(args, f"{args.role} token", args.role)


def cmd_token_list(_args: argparse.Namespace) -> int:
    from app.access import api_keys as api_key_service

    tokens = api_key_service.list_tokens(context.init())
    if not tokens:
        print("no management tokens yet")
    for token in tokens:
        used = f"used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
        print(f"{token.id}\t{token.prefix}…\t{token.role}\t{_state(token)}\t{used}\t{token.name}")
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    return _revoke(args, "token", tokens=True)


def cmd_contacts_import(args: argparse.Namespace) -> int:
    from app.audience import csv_import

    ctx = context.init()
    try:
        mapping = csv_import.parse_mapping(args.map)
        report = csv_import.import_file(ctx, args.file, mapping, progress=sys.stderr, batch_size=args.batch_size)
    except csv_import.ImportFailure as exc:
        raise _error(str(exc)) from exc
    details = {"created": report.created, "updated": report.updated, "rejected": len(report.rejected)}
    audit.record(ctx, "cli", "contacts.import", Path(args.file).name, details)
    for line, reason in report.rejected[: args.max_errors]:
        print(f"{args.file}:{line}: {reason}")
    if len(report.rejected) > args.max_errors:
        print(f"… and {len(report.rejected) - args.max_errors} more rejected rows")
    print(f"created {report.created}, updated {report.updated}, rejected {len(report.rejected)}")
    return 0


def cmd_segments_refresh(args: argparse.Namespace) -> int:
    from app.audience.segment_service import reevaluate_segments

    ctx = context.init()
    result = reevaluate_segments(ctx, everything=args.all)
    for name, ids in sorted(result.entered.items()):
        print(f"{name}: {len(ids)} entered")
    print(f"{result.entered_count} contact(s) entered segments")
    return 0


def cmd_segments_list(_args: argparse.Namespace) -> int:
    from storage import segments

    ctx = context.init()
    with ctx.db.session() as session:
        rows = segments.list_segments(session)
        counts = [segments.count_segment(session, condition=row.condition, now=ctx.clock.now()) for row in rows]
    if not rows:
        print("no segments yet")
    for row, count in zip(rows, counts, strict=True):
        print(f"{row.id}\t{count}\t{row.name}")
    return 0


def register(sub: Any) -> None:
    """Add the audience subcommands to the main parser's subparsers."""
    apikey = sub.add_parser("apikey", help="create, list and revoke tracking (write) keys for apps")
    asub = apikey.add_subparsers(dest="apikey_command", required=True)
    p = asub.add_parser("create", help="create a key and print it once")
    p.add_argument("name")
    p.set_defaults(func=cmd_apikey_create)
    asub.add_parser("list", help="list keys (prefix only)").set_defaults(func=cmd_apikey_list)
    p = asub.add_parser("revoke", help="revoke a key by id")
    p.add_argument("id", type=int)
    p.set_defaults(func=cmd_apikey_revoke)

    token = sub.add_parser("token", help="create, list and revoke management API tokens (viewer or marketer)")
    tsub = token.add_subparsers(dest="token_command", required=True)
    p = tsub.add_parser("create", help="create a token and print it once")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=["viewer", "marketer"], help="what the token may do")
    p.set_defaults(func=cmd_token_create)
    tsub.add_parser("list", help="list tokens (prefix, role, last use)").set_defaults(func=cmd_token_list)
    p = tsub.add_parser("revoke", help="revoke a token by id")
    p.add_argument("id", type=int)
    p.set_defaults(func=cmd_token_revoke)

    contacts = sub.add_parser("contacts", help="import contacts")
    csub = contacts.add_subparsers(dest="contacts_command", required=True)
    p = csub.add_parser("import", help="import a CSV file (upsert by external id or email)")
    p.add_argument("file")
    p.add_argument("--map", required=True, help="field=Column pairs, e.g. email=Email,external_id=Id,attr.city=City")
    p.add_argument("--batch-size", type=int, default=2_000)
    p.add_argument("--max-errors", type=int, default=100, help="rejected rows to list (default 100)")
    p.set_defaults(func=cmd_contacts_import)

    segments = sub.add_parser("segments", help="list saved segments, re-evaluate memberships")
    ssub = segments.add_subparsers(dest="segments_command", required=True)
    p = ssub.add_parser("refresh", help="re-evaluate time-based segments and emit segment.entered events")
    p.add_argument("--all", action="store_true", help="re-evaluate every segment, not only time-based ones")
    p.set_defaults(func=cmd_segments_refresh)
    ssub.add_parser("list", help="saved segments with their live counts").set_defaults(func=cmd_segments_list)
