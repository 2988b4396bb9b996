"""The command line: ``python main.py [serve|worker|ingest|journey|demo|...]``. The process roles are here; each
feature area declares its own sub-commands in its ``cli`` module (``register(sub)``). Errors are one line with
their location."""

from __future__ import annotations

import argparse
import os
import sys

from app.audience import cli as audience_cli
from app.authoring import cli as journey_cli
from app.core import db_cli
from app.core.commands import CliError, read_file
from app.demo import cli as demo_cli
from app.engine import quarantine_cli
from app.integrations.crm import cli as crm_cli
from app.predictions import cli as models_cli
from app.privacy import cli as gdpr_cli
from app.recommendations import cli as products_cli
from app.simulation import cli as simulate_cli
from journeys.errors import ParcoursError

__all__ = ["CliError", "build_parser", "main", "read_file"]


def cmd_serve(_args: argparse.Namespace) -> int:
    from app.core.server import serve

    serve()
    return 0


def cmd_web(_args: argparse.Namespace) -> int:
    """The UI and the management API, without the engine: workers run it (``python main.py worker``)."""
    from app.core.server import serve
    from app.core.settings import get_settings

    serve(get_settings().model_copy(update={"run_worker": False}))
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
    sub.add_parser("serve", help="serve everything in one process: web app, API, engine (the default)").set_defaults(
        func=cmd_serve
    )
    sub.add_parser("web", help="serve the web app and the management API only (no engine)").set_defaults(func=cmd_web)
    sub.add_parser("worker", help="run the journey engine and dispatcher without the UI").set_defaults(func=cmd_worker)
    p = sub.add_parser("ingest", help="serve the tracking API alone, in several processes on one port")
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    p.set_defaults(func=cmd_ingest)

    from app.access import cli as user_cli  # imports the account services: late, like the commands themselves

    # Each area adds its own sub-commands.
    areas = (
        journey_cli,
        demo_cli,
        audience_cli,
        gdpr_cli,
        quarantine_cli,
        crm_cli,
        user_cli,
        products_cli,
        simulate_cli,
        models_cli,
        db_cli,
    )
    for area in areas:
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
