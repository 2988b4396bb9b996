"""README screenshots: the dashboard, a journey's canvas and its analytics, with the live demo loaded.

Loads the demo into a temporary SQLite file as if it had been loaded ``--minutes`` ago and plays its simulated
traffic up to now (the clock is moved, nothing waits), starts the real server (python main.py) with the
engine off so nothing changes while shooting, signs in as a marketer in Debian's Chromium (Playwright) and
writes docs/img/dashboard.png, docs/img/canvas.png (the abandoned-cart journey, with its live counts) and
docs/img/analytics.png (the A/B promo) at 1440x900.

    .venv/bin/python scripts/screenshots.py [--minutes 20] [--out docs/img]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.demo import live as demo_live  # noqa: E402
from app.demo import workspace as demo  # noqa: E402
from bench.canvas import create_marketer, start_server  # noqa: E402
from journeys.clock import FrozenClock, SystemClock  # noqa: E402
from storage import journeys as journey_store  # noqa: E402
from tests.auth_helpers import browser_login  # noqa: E402
from tests.browser import ConsoleErrors, chromium  # noqa: E402

VIEWPORT = {"width": 1440, "height": 900}
CANVAS_JOURNEY = "Abandoned cart: SMS, then email"  # contacts waiting on its steps: the canvas counts
ANALYTICS_JOURNEY = "Promo push with A/B test"  # a split, a goal, every funnel step


def load_demo(database_url: str, minutes: int) -> dict[str, int]:
    """The demo loaded ``minutes`` ago with its traffic played since; returns the journeys' ids by name."""
    clock = FrozenClock(SystemClock().now() - timedelta(minutes=minutes))
    ctx = context.init(Settings(database_url=database_url), clock)
    try:
        demo.load_demo(ctx)
        demo_live.replay(ctx, clock, seconds=minutes * 60, step_s=15)
        with ctx.db.session() as session:
            return {j.name: j.id for j in journey_store.list_journeys(session)}
    finally:
        context.close()


def shoot(base: str, email: str, journeys: dict[str, int], out: Path) -> list[str]:
    errors = ConsoleErrors()
    with chromium() as browser:
        signed_in = browser.new_context(viewport=VIEWPORT, locale="en-GB")
        page = errors.watch(signed_in.new_page())
        browser_login(page, base, email)
        page.goto(base + "/dashboard")
        page.locator(".js-plotly-plot g.trace").first.wait_for(timeout=20_000)
        page.wait_for_timeout(3_000)  # the dashboard draws its funnel on its first live refresh
        settle(page, out / "dashboard.png")
        page.goto(f"{base}/journeys/{journeys[CANVAS_JOURNEY]}")
        page.locator(".vue-flow__node").first.wait_for(timeout=20_000)
        settle(page, out / "canvas.png")
        page.goto(f"{base}/journeys/{journeys[ANALYTICS_JOURNEY]}/analytics")
        page.locator(".js-plotly-plot g.trace").first.wait_for(timeout=20_000)
        settle(page, out / "analytics.png")
    return errors


def settle(page: Page, path: Path) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1_500)  # Plotly's and the canvas's own transitions
    page.screenshot(path=str(path))
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=20, help="simulated minutes of demo traffic (default 20)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where to write the PNGs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'screenshots.db'}"
        email = create_marketer(database_url)
        journeys = load_demo(database_url, args.minutes)
        proc, base = start_server(workdir, database_url)
        try:
            errors = shoot(base, email, journeys, args.out.resolve())
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
