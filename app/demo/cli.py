"""CLI of the demo workspace: ``demo load`` fills an empty workspace, ``demo stop`` stops its simulated traffic."""

from __future__ import annotations

import argparse
from typing import Any

from app.core import context
from app.core.commands import CliError
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES


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


def register(sub: Any) -> None:
    """The ``demo`` command and its sub-commands."""
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
