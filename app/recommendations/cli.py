"""CLI of the product catalogue: ``products import FILE`` and ``products refresh``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.access import audit
from app.core import context
from app.core.commands import CliError

MAX_ERRORS_SHOWN = 20


def cmd_import(args: argparse.Namespace) -> int:
    from app.recommendations import catalogue_csv

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"{args.file}: cannot read file ({exc.strerror})") from exc
    ctx = context.init()
    report = catalogue_csv.import_csv(ctx, data)
    if report.errors:
        for problem in report.errors[:MAX_ERRORS_SHOWN]:
            print(f"{args.file}: {problem}")
        more = len(report.errors) - MAX_ERRORS_SHOWN
        raise CliError(f"{args.file}: nothing imported" + (f" ({more} more problems)" if more > 0 else ""))
    audit.record(ctx, "cli", "products.import", Path(args.file).name, {"products": len(report.rows)})
    print(f"{len(report.rows)} products read, {report.written} added or changed")
    return 0


def cmd_refresh(_args: argparse.Namespace) -> int:
    from app.recommendations import service

    done = service.refresh(context.init())
    print(f"recommendations refreshed: {done.contacts} contacts, {done.products} products seen in events")
    return 0


COMMANDS = (
    ("import", cmd_import, "import products from a CSV file (product_id,name,price,url,image_url)", True),
    ("refresh", cmd_refresh, "recompute every contact's recommendations now", False),
)


def register(sub: Any) -> None:
    parser = sub.add_parser("products", help="the product catalogue messages recommend from")
    psub = parser.add_subparsers(dest="products_command", required=True)
    for name, func, text, takes_file in COMMANDS:
        command = psub.add_parser(name, help=text)
        if takes_file:
            command.add_argument("file", help="a UTF-8 CSV file with a header row")
        command.set_defaults(func=func)
