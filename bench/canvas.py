"""Canvas figures: time to draw a 100-step journey, and time for a drag-connect to be saved.

``render_all_nodes_ms`` runs from navigation to every step drawn at its measured size; ``canvas_draw_ms`` is the
canvas's own share of it (from the component's start, marked in the page, to the same moment). The machine's
load average is printed too: on a shared machine it explains more of the spread than any code change.

Starts the real server (python main.py) on a free port with a temporary SQLite file, stores a generated
journey through the services, then drives Debian's Chromium with Playwright. Prints a JSON object last.

    .venv/bin/python bench/canvas.py [--steps 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.authoring import service as journey_service  # noqa: E402
from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from storage import journeys as store  # noqa: E402
from tests.auth_helpers import browser_login, create_account  # noqa: E402
from tests.browser import VIEWPORT, ConsoleErrors, chromium, drag_connect, open_canvas_timed, wait_for_edge  # noqa: E402
from tests.journey_factory import large_journey, open_end_ids  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path, database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    env |= {
        "PARCOURS_DATABASE_URL": database_url,
        "PARCOURS_PORT": str(port),
        "PARCOURS_HOST": "127.0.0.1",
        "PARCOURS_RUN_WORKER": "false",
        "PARCOURS_SECRET": "bench-canvas",
    }
    log = (workdir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=2).status_code < 500:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def create_marketer(database_url: str) -> str:
    """The account the browser signs in with: every page but sign-in and set-up needs one."""
    ctx = context.init(Settings(database_url=database_url))
    try:
        return create_account(ctx, "marketer", "bench@example.com")
    finally:
        context.close()


def store_journey(database_url: str, steps: int) -> int:
    ctx = context.init(Settings(database_url=database_url))
    try:
        journey_id = journey_service.create_journey(ctx, name="bench")
        with ctx.db.session() as session:
            revision = store.get_journey(session, journey_id=journey_id).revision
        journey_service.save_draft(ctx, journey_id, large_journey(steps), expected_revision=revision)
        return journey_id
    finally:
        context.close()


CANVAS_STARTED = "() => performance.getEntriesByName('journey-canvas-setup')[0].startTime"


def measure(
    base: str, email: str, journey_ids: list[int], steps: int
) -> tuple[list[float], list[float], list[float], list[str]]:
    render, draw, connect = [], [], []
    errors = ConsoleErrors()
    source, target = open_end_ids(steps)
    with chromium() as browser:
        signed_in = browser.new_context(viewport=VIEWPORT)
        browser_login(signed_in.new_page(), base, email)
        for journey_id in journey_ids:
            page = errors.watch(signed_in.new_page())
            render.append(open_canvas_timed(page, f"{base}/journeys/{journey_id}", steps))
            draw.append(render[-1] - float(page.evaluate(CANVAS_STARTED)))  # the canvas's own share
            page.evaluate(f"getElement(document.querySelector('.jc-root')).focusNode('{source}')")
            page.wait_for_timeout(500)  # the canvas's own zoom animation
            released = drag_connect(page, source, "next", target)
            connect.append(wait_for_edge(page, source, "next", target) - released)
            page.close()
    return render, draw, connect, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'bench.db'}"
        email = create_marketer(database_url)
        proc, base = start_server(workdir, database_url)
        try:
            journey_ids = [store_journey(database_url, args.steps) for _ in range(args.runs)]
            render, draw, connect, errors = measure(base, email, journey_ids, args.steps)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    result = {
        "steps": args.steps,
        "runs": args.runs,
        "render_all_nodes_ms_median": round(statistics.median(render)),
        "render_all_nodes_ms_max": round(max(render)),
        "canvas_draw_ms_median": round(statistics.median(draw)),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "connect_saved_ms_median": round(statistics.median(connect)),
        "connect_saved_ms_max": round(max(connect)),
        "targets": {"render_ms": 1500, "connect_saved_ms": 300},
        "console_errors": len(errors),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
