"""CLI commands for journeys kept as code: ``journey apply``, ``diff``, ``publish``, ``pause``, ``resume``,
``archive``. A journey is named by its id or its key; every refusal is one line naming the file, node or field."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.authoring import apply as journey_apply
from app.authoring import service as journey_service
from app.authoring.service import DocumentError, InvalidJourney, NotFound, StaleRevision, StatusError
from app.core import context
from journeys.diff import diff, render


def _error(message: str) -> Exception:
    from app.core.cli import CliError

    return CliError(message)


def _read(path: str) -> bytes:
    from app.core.cli import read_file

    return read_file(path)


def _refuse_invalid(where: str, exc: InvalidJourney, what: str) -> Exception:
    for violation in exc.violations:
        print(f"{where}: {violation}", file=sys.stderr)
    return _error(f"{where}: {what}, {len(exc.violations)} problem(s)")


def cmd_apply(args: argparse.Namespace) -> int:
    raw = _read(args.file)
    ctx = context.init()
    try:
        result = journey_apply.apply(ctx, raw, publish=args.publish, actor="cli")
    except DocumentError as exc:
        raise _error(f"{args.file}: {exc}") from exc
    except InvalidJourney as exc:
        raise _refuse_invalid(args.file, exc, "not applied") from exc
    except (StatusError, StaleRevision) as exc:
        raise _error(f"{args.file}: {exc}") from exc
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
            raise _error(str(exc) if ref in str(exc) else f"{ref}: {exc}") from exc
    result = diff(docs[0], docs[1])
    if args.json:
        print(json.dumps(result.to_dict(layout=args.layout), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        lines = render(result, layout=args.layout)
        print("\n".join(lines) if lines else "no changes")
    return 0


def _journey_id(ctx: context.AppContext, ref: str) -> int:
    try:
        return journey_service.resolve(ctx, ref)
    except NotFound as exc:
        raise _error(str(exc)) from exc


def cmd_publish(args: argparse.Namespace) -> int:
    ctx = context.init()
    journey_id = _journey_id(ctx, args.id)
    try:
        version = journey_service.publish(ctx, journey_id, published_by="cli", actor="cli")
    except InvalidJourney as exc:
        raise _refuse_invalid(f"journey {journey_id}", exc, "not published") from exc
    except StatusError as exc:
        raise _error(f"journey {journey_id}: {exc}") from exc
    print(f"journey {journey_id}: published version {version}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    ctx = context.init()
    journey_id = _journey_id(ctx, args.id)
    try:
        status = journey_service.change_status(ctx, journey_id, args.action, actor="cli")
    except StatusError as exc:
        raise _error(f"journey {journey_id}: {exc}") from exc
    print(f"journey {journey_id}: {status}")
    return 0


def register(jsub: Any) -> None:
    """Add the journeys-as-code commands to the ``journey`` subparsers."""
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
