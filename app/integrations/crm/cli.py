"""CLI of the CRM sync: ``crm sync hubspot`` imports and writes back now, printing progress page by page."""

from __future__ import annotations

import argparse
from typing import Any

from app.core import context
from app.core.commands import CliError
from app.integrations.crm import config, sync


def cmd_sync(args: argparse.Namespace) -> int:
    ctx = context.init()

    def progress(result: sync.RunResult) -> None:
        print(f"{args.crm}: page {result.pages}, {result.contacts} contacts imported", flush=True)

    result = sync.run(ctx, args.crm, progress=progress, force=True)
    if result.busy:
        raise CliError(f"{args.crm}: a sync is already running (here or in another process)")
    if result.error:
        retry = f" (retry after {result.retry_at.isoformat()})" if result.retry_at else ""
        raise CliError(f"{args.crm}: stopped after {result.contacts} contacts: {result.error}{retry}")
    print(
        f"{args.crm}: done, {result.contacts} contacts imported in {result.pages} pages"
        f" ({result.skipped} skipped), outcomes written for {result.written_back}"
    )
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("crm", help="contacts imported from a CRM, journey outcomes written back")
    csub = parser.add_subparsers(dest="crm_command", required=True)
    p = csub.add_parser("sync", help="import changed contacts and write outcomes back now")
    p.add_argument("crm", choices=sorted(config.ADAPTERS), help="which CRM")
    p.set_defaults(func=cmd_sync)
