"""The forecast through the journeys API and the command line: the same figures, refusals in one line or 422."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from nicegui.testing import User

from app.authoring import service
from app.core.context import current
from tests.auth_helpers import login
from tests.conftest import run_cli
from tests.engine_support import add_contacts
from tests.test_forecast import PUSH, daily_events, push_journey

API = "/api/v1/journeys"


async def test_api_forecasts_a_draft_by_key_and_refuses_an_invalid_one_with_422(user: User) -> None:
    await login(user, "viewer")
    ctx = current()
    people = add_contacts(ctx, 2, consent=PUSH) + add_contacts(ctx, 2, consent={})
    daily_events(ctx, people, "Checkout Started", hour=12)
    journey_id = service.import_journey(ctx, push_journey() | {"key": "cart-push"})
    answer = await user.http_client.get(f"{API}/cart-push/forecast")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # The page's clock is the wall clock here, so the week holds 6 or 7 of each contact's daily events:
    # whatever it is, half the entrants get a push and the other half are skipped for consent.
    pushes = body["messages"]["push"]
    assert 12 <= pushes <= 14 and sum(body["entries_per_day"]) == 2 * pushes
    assert body["skips"] == [{"channel": "push", "reason": "no_consent", "count": pushes}]
    assert (body["entry_source"], body["conversion_source"], body["no_history"]) == ("event", "none", False)
    broken = push_journey()
    broken["nodes"][1]["config"] = {"body": ""}
    with ctx.db.session() as session:
        from storage import journeys as store

        store.get_journey(session, journey_id=journey_id).draft = broken
        session.commit()
    refused = await user.http_client.get(f"{API}/{journey_id}/forecast")
    assert refused.status_code == 422 and refused.json()["violations"][0]["node_id"] == "push"


def test_cli_forecasts_a_file_and_says_not_enough_history(ctx, tmp_path: Path) -> None:
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(push_journey()))
    add_contacts(ctx, 2, consent=PUSH)
    quiet = run_cli("journey", "forecast", str(path))
    assert quiet.returncode == 0, quiet.stderr
    assert "not enough history" in quiet.stdout and "push per day: 0, 0, 0, 0, 0, 0, 0" in quiet.stdout
    ctx.clock.set(datetime.now(UTC))  # the command runs on the wall clock
    daily_events(ctx, [1, 2], "Checkout Started", hour=12)
    busy = run_cli("journey", "forecast", str(path), "--json")
    assert 12 <= json.loads(busy.stdout)["messages"]["push"] <= 14  # 6 or 7 daily events each in the week
    broken = push_journey()
    broken["nodes"][1]["config"] = {"body": ""}
    path.write_text(json.dumps(broken))
    refused = run_cli("journey", "forecast", str(path))
    assert refused.returncode != 0 and "no forecast" in refused.stderr and "Traceback" not in refused.stderr
