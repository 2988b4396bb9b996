"""Crontab expressions: standard weekday numbering (Sunday = 0 or 7), ranges, steps, names and clear errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.engine.entries import cron_trigger
from journeys import cron
from journeys.nodes.entry_schedule import Config


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0-6", "sun,mon,tue,wed,thu,fri,sat"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1-5/2", "mon,wed,fri"),
        ("sat,sun", "sun,sat"),
        ("MON-wed", "mon,tue,wed"),
    ],
)
def test_weekday_field_becomes_day_names(field: str, names: str) -> None:
    assert cron.weekday_names(field) == names


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 9 * *", "5 fields"),
        ("60 9 * * *", "minute: 60 is outside 0-59"),
        ("0 24 * * *", "hour: 24 is outside 0-23"),
        ("0 9 0 * *", "day: 0 is outside 1-31"),
        ("0 9 * 13 *", "month: 13 is outside 1-12"),
        ("0 9 * * 8", "weekday: 8 is outside 0-7"),
        ("0 9 * * 5-1", "weekday: the range 5-1 runs backwards"),
        ("0 9 * * funday", "weekday: 'funday' is not a number or one of sun"),
        ("*/0 9 * * *", "minute: a step must be at least 1"),
        ("0 9 * * 1;2", "weekday: '1;2' is not a value, range or step"),
    ],
)
def test_bad_expressions_name_the_field(expression: str, message: str) -> None:
    with pytest.raises(cron.CronError, match=message.replace("(", r"\(")):
        cron.check(expression)


def test_schedule_config_refuses_a_bad_cron_with_the_field() -> None:
    with pytest.raises(ValueError, match="hour: 25 is outside 0-23"):
        Config(mode="recurring", cron="0 25 * * *")
    assert Config(mode="recurring", cron="0 9 * * 1-5").cron == "0 9 * * 1-5"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("0 9 * * 0", "Sun 2026-11-29 09:00"),  # crontab Sunday, not APScheduler's Monday-based 0
        ("0 9 * * 0-6", "Thu 2026-11-26 09:00"),  # every day; APScheduler alone rejects sun-sat
        ("0 9 * * 6", "Sat 2026-11-28 09:00"),
        ("15 7 * * 1", "Mon 2026-11-30 07:15"),
        ("0 9 1 * *", "Tue 2026-12-01 09:00"),
        ("0 9 1,28 * 1", "Sat 2026-11-28 09:00"),  # day OR weekday, as crontab reads it
    ],
)
def test_triggers_fire_on_the_crontab_day(expression: str, expected: str) -> None:
    after = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # a Thursday
    fire = cron_trigger(expression, "UTC").get_next_fire_time(None, after)
    assert fire is not None and fire.strftime("%a %Y-%m-%d %H:%M") == expected


def test_day_and_weekday_together_fire_on_either() -> None:
    trigger = cron_trigger("0 9 1 * 1", "Europe/Paris")  # the 1st of the month, and every Monday
    fires, after = [], datetime(2026, 11, 26, tzinfo=UTC)
    for _ in range(4):
        fire = trigger.get_next_fire_time(fires[-1] if fires else None, after)
        assert fire is not None
        fires.append(fire)
        after = fire + timedelta(seconds=1)
    assert [f.strftime("%a %d %b %H:%M %Z") for f in fires] == [
        "Mon 30 Nov 09:00 CET",
        "Tue 01 Dec 09:00 CET",
        "Mon 07 Dec 09:00 CET",
        "Mon 14 Dec 09:00 CET",
    ]
