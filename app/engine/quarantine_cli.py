"""CLI of the quarantine: ``quarantine list``, ``quarantine retry ID`` and ``quarantine discard ID``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from app.core import context
from app.core.commands import CliError
from app.engine import quarantine


def cmd_list(_args: argparse.Namespace) -> int:
    entries = quarantine.entries(context.init())
    if not entries:
        print("nothing in quarantine")
    for e in entries:
        when = datetime.fromtimestamp(e.created_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        journey = "-" if e.journey_id is None else e.journey_id
        contact = "-" if e.contact_id is None else e.contact_id
        print(f"{e.id}\t{e.kind}\t{e.row_id}\tjourney={journey}\tcontact={contact}\t{when}\t{e.reason}")
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    try:
        ok = quarantine.retry(context.init(), args.id, actor="cli")
    except quarantine.NotQuarantined as exc:
        raise CliError(f"id: {exc}") from exc
    print(f"quarantine {args.id}: " + ("put back" if ok else "still failing, kept with the new reason"))
    return 0 if ok else 1


def cmd_discard(args: argparse.Namespace) -> int:
    try:
        quarantine.discard(context.init(), args.id, actor="cli")
    except quarantine.NotQuarantined as exc:
        raise CliError(f"id: {exc}") from exc
    print(f"quarantine {args.id}: discarded")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("quarantine", help="rows the engine or dispatcher could not process")
    qsub = parser.add_subparsers(dest="quarantine_command", required=True)
    qsub.add_parser("list", help="list quarantined rows with their reason").set_defaults(func=cmd_list)
    for name, func, text in (("retry", cmd_retry, "put a row back in its queue"), ("discard", cmd_discard, "give up")):
        p = qsub.add_parser(name, help=text)
        p.add_argument("id", type=int, help="the quarantine id shown by `quarantine list`")
        p.set_defaults(func=func)
