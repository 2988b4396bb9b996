"""CLI commands of the GDPR area: ``gdpr purge``, ``gdpr export`` and ``gdpr erase``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.core import context
from app.core.commands import CliError


def _contact(ctx: context.AppContext, external_id: str) -> int:
    from app.privacy import gdpr

    contact_id = gdpr.find_contact(ctx, external_id)
    if contact_id is None:
        raise CliError(f"external_id: no contact {external_id!r}")
    return contact_id


def cmd_purge(_args: argparse.Namespace) -> int:
    from app.privacy import gdpr

    ctx = context.init()
    result = gdpr.purge_expired(ctx)
    print(json.dumps(result))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.privacy import gdpr

    ctx = context.init()
    data = gdpr.export_contact(ctx, _contact(ctx, args.external_id), actor="cli")
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from app.privacy import gdpr

    ctx = context.init()
    contact_id = _contact(ctx, args.external_id)
    if not args.yes:
        raise CliError("erase is irreversible: add --yes to confirm")
    removed = gdpr.erase_contact(ctx, contact_id, actor="cli")
    print(f"contact {contact_id} erased: {json.dumps(removed)}", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    gdpr_parser = sub.add_parser("gdpr", help="retention purge, export and erasure of a contact's data")
    gsub = gdpr_parser.add_subparsers(dest="gdpr_command", required=True)
    gsub.add_parser("purge", help="delete events and blank message bodies past retention").set_defaults(func=cmd_purge)
    p = gsub.add_parser("export", help="print one contact's full data as JSON")
    p.add_argument("external_id")
    p.set_defaults(func=cmd_export)
    p = gsub.add_parser("erase", help="erase every trace of one contact (irreversible)")
    p.add_argument("external_id")
    p.add_argument("--yes", action="store_true", help="confirm the erasure")
    p.set_defaults(func=cmd_erase)
