"""The command line: ``python main.py [serve|journey ...]``. Errors are one line with their location."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app.audience import cli as audience_cli
from app.authoring import cli as journey_cli
from app.authoring import service as journey_service
from app.core import context
from app.engine import quarantine_cli
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.integrations.crm import cli as crm_cli
from app.privacy import cli as gdpr_cli
from app.recommendations import cli as products_cli
from journeys.document import MAX_DOCUMENT_BYTES, DocumentError, json_schema
from journeys.errors import ParcoursError


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 1 (2 for usage)."""


def read_file(path: str) -> bytes:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise CliError(f"{path}: file is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
        return file.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read file ({exc.strerror})") from exc


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        _doc, violations = journey_service.check(read_file(args.file))
    except DocumentError as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    for violation in violations:
        print(f"{args.file}: {violation}")
    if not violations:
        print(f"{args.file}: valid")
    return 1 if violations else 0


def cmd_import(args: argparse.Namespace) -> int:
    raw = read_file(args.file)
    ctx = context.init()
    try:
        journey_id = journey_service.import_journey(ctx, raw, actor="cli")
    except DocumentError as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    except journey_service.InvalidJourney as exc:
        for violation in exc.violations:
            print(f"{args.file}: {violation}", file=sys.stderr)
        raise CliError(f"{args.file}: not imported, {len(exc.violations)} problem(s)") from exc
    print(journey_id)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ctx = context.init()
    journey_id = journey_service.resolve(ctx, args.id)
    text = journey_service.export_journey(ctx, journey_id, version=args.version, actor="cli")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_list(_args: argparse.Namespace) -> int:
    from storage import journeys as store

    ctx = context.init()
    with ctx.db.session() as session:
        rows = store.list_journeys(session)
    if not rows:
        print("no journeys yet")
    for row in rows:
        version = f"v{row.live_version}" if row.live_version else "-"
        print(f"{row.id}\t{row.status}\t{version}\t{row.name}" + (f"\t{row.key}" if row.key else ""))
    return 0


def cmd_schema(_args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2, sort_keys=True))
    return 0


def cmd_demo_load(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from app.demo import live as demo_live
    from app.demo import workspace as demo
    from journeys.clock import FrozenClock, SystemClock

    if not 0 <= args.replay_minutes <= 24 * 60:
        raise CliError("--replay-minutes: must be between 0 and 1440")
    # With a replay the demo is loaded that many minutes ago and its simulated time played up to now.
    clock = FrozenClock(SystemClock().now() - timedelta(minutes=args.replay_minutes))
    ctx = context.init(clock=clock)
    try:
        summary = demo.load_demo(ctx, contact_count=args.contacts, lang=args.lang)
    except demo.WorkspaceNotEmpty as exc:
        raise CliError(f"{ctx.settings.database_url}: {exc}; the demo only loads into an empty workspace") from exc
    print(f"loaded {summary.journeys} journeys, {summary.contacts} contacts, {summary.events} events")
    if args.replay_minutes:
        demo_live.replay(ctx, clock, seconds=args.replay_minutes * 60)
        print(f"played {args.replay_minutes} simulated minutes")
    return 0


def cmd_demo_stop(_args: argparse.Namespace) -> int:
    from app.demo import live as demo_live

    stopped = demo_live.stop(context.init(), actor="cli")
    print("demo stopped" if stopped else "the demo is not running")
    return 0


def cmd_serve(_args: argparse.Namespace) -> int:
    from app.core.server import serve

    serve()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from app.tracking import ingest_server

    if args.processes < 1:
        print("ingest: --processes must be at least 1", file=sys.stderr)
        return 2
    ingest_server.serve(processes=args.processes)
    return 0


def cmd_worker(_args: argparse.Namespace) -> int:
    from app.core import worker
    from app.core.settings import get_settings

    return worker.run(get_settings())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py", description="Parcours marketing journeys")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the web app (the default)").set_defaults(func=cmd_serve)
    sub.add_parser("worker", help="run the journey engine and dispatcher without the UI").set_defaults(func=cmd_worker)
    p = sub.add_parser("ingest", help="serve the tracking API alone, in several processes on one port")
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    p.set_defaults(func=cmd_ingest)

    journey = sub.add_parser("journey", help="validate, import, export, apply, diff, publish and list journeys")
    jsub = journey.add_subparsers(dest="journey_command", required=True)
    p = jsub.add_parser("validate", help="check a journey file; exit 0 when valid")
    p.add_argument("file")
    p.set_defaults(func=cmd_validate)
    p = jsub.add_parser("import", help="store a journey file as a new draft; prints its id")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)
    p = jsub.add_parser("export", help="write a journey document, with its key (given one if it has none)")
    p.add_argument("id", help="the journey's id or key")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--version", type=int, help="a published version number instead of the draft")
    p.set_defaults(func=cmd_export)
    jsub.add_parser("list", help="list journeys").set_defaults(func=cmd_list)
    jsub.add_parser("schema", help="print the JSON Schema of journey documents").set_defaults(func=cmd_schema)
    journey_cli.register(jsub)

    demo = sub.add_parser("demo", help="sample data for trying Parcours")
    dsub = demo.add_subparsers(dest="demo_command", required=True)
    p = dsub.add_parser("load", help="fill an empty workspace with templates, contacts and events")
    p.add_argument("--contacts", type=int, default=1_000, help="how many demo contacts (default 1000)")
    p.add_argument(
        "--replay-minutes", type=int, default=0, help="load it that long ago and play the simulated traffic since"
    )
    p.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help="language of the demo's journeys (default en)",
    )
    p.set_defaults(func=cmd_demo_load)
    dsub.add_parser("stop", help="stop the demo's simulated traffic").set_defaults(func=cmd_demo_stop)
    from app.access import cli as user_cli  # imports the account services: late, like the commands themselves

    for area in (
        audience_cli,
        gdpr_cli,
        quarantine_cli,
        crm_cli,
        user_cli,
        products_cli,
    ):  # each adds its own sub-commands
        area.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args.func = cmd_serve
    try:
        return args.func(args)
    except (CliError, ParcoursError) as exc:  # a refusal from any command: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0
