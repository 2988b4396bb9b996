"""Field types shared by node configs, settings and policies."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator


def check_time_of_day(value: str) -> str:
    hour, _, minute = value.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ValueError("must be a time of day as HH:MM")
    return f"{int(hour):02d}:{int(minute):02d}"


def check_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


TimeOfDay = Annotated[str, AfterValidator(check_time_of_day)]
TimeZoneName = Annotated[str, AfterValidator(check_time_zone)]
