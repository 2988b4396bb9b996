"""Demo load and contacts-page queries on a large workspace.

    .venv/bin/python bench/contacts_pages.py [--contacts 100000]

Prints one JSON object as its last line: seconds to load the demo and milliseconds per search query.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.demo import workspace as demo
from storage import contacts_queries as queries  # noqa: E402


def timed_ms(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = context.init(Settings(database_url=f"sqlite:///{tmp}/bench.db", secret="bench"))
        start = time.perf_counter()
        summary = demo.load_demo(ctx, contact_count=args.contacts)
        load_s = round(time.perf_counter() - start, 2)
        results = {"contacts": summary.contacts, "events": summary.events, "demo_load_s": load_s}
        with ctx.db.session() as session:
            for label, query, page in (
                ("list_page1_ms", "", 1),
                ("list_page100_ms", "", 100),
                ("email_search_ms", "camille.martin", 1),
                ("phone_search_ms", "+33612", 1),
                ("attribute_search_ms", "Lisbonne", 1),
            ):
                results[label] = timed_ms(lambda q=query, p=page: queries.search_contacts(session, query=q, page=p))
            first = queries.search_contacts(session, page_size=1).items[0].id
            results["timeline_page_ms"] = timed_ms(lambda: queries.list_events(session, contact_id=first))
        context.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
