"""CLI of journeys: ``journey validate``, ``import``, ``export``, ``list``, ``schema``, ``forecast``, and for
journeys kept as code ``apply``, ``diff``, ``publish``, ``pause``, ``resume``, ``archive``. A journey is named
by its id or its key; every refusal is one line naming the file, node or field."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.authoring import apply as journey_apply
from app.authoring import forecast as journey_forecast
from app.authoring import service as journey_service
from app.authoring.service import DocumentError, InvalidJourney, NotFound, StaleRevision, StatusError
from app.core import context
from app.core.commands import CliError, read_file
from journeys.diff import diff, render
from journeys.document import json_schema


def _refuse_invalid(where: str, exc: InvalidJourney, what: str) -> Exception:
    for violation in exc.violations:
        print(f"{where}: {violation}", file=sys.stderr)
    return CliError(f"{where}: {what}, {len(exc.violations)} problem(s)")


def cmd_apply(args: argparse.Namespace) -> int:
    raw = read_file(args.file)
    ctx = context.init()
    try:
        result = journey_apply.apply(ctx, raw, publish=args.publish, actor="cli")
    except DocumentError as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    except InvalidJourney as exc:
        raise _refuse_invalid(args.file, exc, "not applied") from exc
    except (StatusError, StaleRevision) as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    where = f"journey {result.journey_id} ({result.key})"
    if result.unchanged:
        print(f"{where}: unchanged")
        return 0
    if result.created:
        print(f"{where}: created")
    elif result.draft_changed:
        print(f"{where}: draft updated to revision {result.revision}")
        for line in render(result.changes):
            print(f"  {line}")
    if result.published_version:
        print(f"{where}: published version {result.published_version}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    ctx = context.init()
    docs = []
    for ref in (args.a, args.b):
        try:
            docs.append(journey_apply.load(ctx, ref))
        except (DocumentError, NotFound) as exc:
            raise CliError(str(exc) if ref in str(exc) else f"{ref}: {exc}") from exc
    result = diff(docs[0], docs[1])
    if args.json:
        print(json.dumps(result.to_dict(layout=args.layout), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        lines = render(result, layout=args.layout)
        print("\n".join(lines) if lines else "no changes")
    return 0


def _journey_id(ctx: context.AppContext, ref: str) -> int:
    return journey_service.resolve(ctx, ref)


def cmd_publish(args: argparse.Namespace) -> int:
    ctx = context.init()
    journey_id = _journey_id(ctx, args.id)
    try:
        version = journey_service.publish(ctx, journey_id, published_by="cli", actor="cli")
    except InvalidJourney as exc:
        raise _refuse_invalid(f"journey {journey_id}", exc, "not published") from exc
    except StatusError as exc:
        raise CliError(f"journey {journey_id}: {exc}") from exc
    print(f"journey {journey_id}: published version {version}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    ctx = context.init()
    journey_id = _journey_id(ctx, args.id)
    try:
        status = journey_service.change_status(ctx, journey_id, args.action, actor="cli")
    except StatusError as exc:
        raise CliError(f"journey {journey_id}: {exc}") from exc
    print(f"journey {journey_id}: {status}")
    return 0


def _register_as_code(jsub: Any) -> None:
    """The journeys-as-code commands of ``journey``."""
    p = jsub.add_parser("apply", help="create or update the journey with the file's key; idempotent")
    p.add_argument("file")
    p.add_argument("--publish", action="store_true", help="also publish it when it differs from the live version")
    p.set_defaults(func=cmd_apply)
    p = jsub.add_parser("diff", help="what changed from A to B (files, or ID@VERSION, ID@draft, ID@live)")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--layout", action="store_true", help="also list nodes moved on the canvas")
    p.add_argument("--json", action="store_true", help="machine-readable output (the API's diff)")
    p.set_defaults(func=cmd_diff)
    p = jsub.add_parser("publish", help="publish the draft as the next version (ID: number or key)")
    p.add_argument("id")
    p.set_defaults(func=cmd_publish)
    for action, text in (("pause", "pause a live journey"), ("resume", "resume a paused journey"),
                         ("archive", "archive a journey; contacts in it exit")):  # fmt: skip
        p = jsub.add_parser(action, help=f"{text} (ID: number or key)")
        p.add_argument("id")
        p.set_defaults(func=cmd_status, action=action)


def cmd_forecast(args: argparse.Namespace) -> int:
    """The next 7 days of a journey file or a stored draft (id or key), nothing sent."""
    ctx = context.init()
    try:
        if Path(args.journey).is_file():
            report = journey_forecast.forecast_document(ctx, read_file(args.journey))
        else:
            report = journey_forecast.forecast_journey(ctx, _journey_id(ctx, args.journey))
    except DocumentError as exc:
        raise CliError(f"{args.journey}: {exc}") from exc
    except InvalidJourney as exc:
        raise _refuse_invalid(args.journey, exc, "no forecast") from exc
    data = report.as_dict()
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    for line in journey_forecast.describe(data):
        print(line)
    return 0


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


def register(sub: Any) -> None:
    """The ``journey`` command and its sub-commands."""
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
    p = jsub.add_parser("forecast", help="the next 7 days of a journey file or draft (ID or key), nothing sent")
    p.add_argument("journey", metavar="FILE_OR_ID")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=cmd_forecast)
    jsub.add_parser("list", help="list journeys").set_defaults(func=cmd_list)
    jsub.add_parser("schema", help="print the JSON Schema of journey documents").set_defaults(func=cmd_schema)
    _register_as_code(jsub)
