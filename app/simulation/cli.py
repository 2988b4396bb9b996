"""``python main.py simulate``: send a simulated population's identify calls and days of events to a server.

The calls go through the real ingestion path (``POST /v1/batch`` with a write key), in batches, ending now.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.core.commands import CliError

BATCH = 250  # well under Segment's 500 KB per batch with these payloads
MAX_CONTACTS = 1_000_000
MAX_DAYS = 365


def _check(args: argparse.Namespace) -> str:
    if not 1 <= args.contacts <= MAX_CONTACTS:
        raise CliError(f"--contacts: must be between 1 and {MAX_CONTACTS:,}")
    if not 1 <= args.days <= MAX_DAYS:
        raise CliError(f"--days: must be between 1 and {MAX_DAYS}")
    url = args.url.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise CliError(f"--url: {args.url!r} is not an http(s) address such as http://127.0.0.1:8080")
    if not args.write_key.strip():
        raise CliError("--write-key: must not be empty (create one with `python main.py apikey create NAME`)")
    return url


def _batches(calls: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(calls), BATCH):
        yield calls[start : start + BATCH]


def _post(client: httpx.Client, url: str, key: str, batch: list[dict[str, Any]]) -> None:
    try:
        answer = client.post(f"{url}/v1/batch", json={"batch": batch}, auth=(key, ""))
    except httpx.HTTPError as exc:
        raise CliError(f"{url}: cannot reach the server ({exc.__class__.__name__}: {exc})") from exc
    if answer.status_code in {401, 403}:
        raise CliError(f"{url}: the write key was refused (HTTP {answer.status_code})")
    if answer.status_code >= 400:
        raise CliError(f"{url}: the batch was refused (HTTP {answer.status_code}): {answer.text[:200]}")


def cmd_simulate(args: argparse.Namespace) -> int:
    from app.simulation.people import SimulatedAudience
    from journeys.clock import SystemClock

    url = _check(args)
    audience = SimulatedAudience(args.contacts, args.seed)
    end = SystemClock().now()
    calls = audience.identify_calls() + audience.events(end - timedelta(days=args.days), end)
    total, sent, shown = len(calls), 0, -1
    with httpx.Client(timeout=60) as client:
        for batch in _batches(calls):
            _post(client, url, args.write_key, batch)
            sent += len(batch)
            if (percent := sent * 100 // total) // 10 != shown:
                shown = percent // 10
                print(f"sent {sent:,}/{total:,} calls ({percent}%)", flush=True)
    print(f"simulated {args.contacts:,} contacts over {args.days} days: {total:,} calls sent", file=sys.stdout)
    return 0


def register(sub: Any) -> None:
    """The ``simulate`` command."""
    p = sub.add_parser("simulate", help="send a seeded simulated population's profiles and events to a server")
    p.add_argument("--contacts", type=int, required=True, help="how many simulated people")
    p.add_argument("--days", type=int, required=True, help="days of events, ending now")
    p.add_argument("--seed", type=int, default=7, help="the same seed gives the same people and events (default 7)")
    p.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    p.add_argument("--write-key", required=True, help="a write key (python main.py apikey create NAME)")
    p.set_defaults(func=cmd_simulate)
