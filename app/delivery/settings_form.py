"""Turn the settings form's raw values into a DeliveryPolicy, with one translated message per bad field.

Kept apart from the page so the rules are plain functions: the page only collects values and shows the
message this module returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from app.i18n import t
from journeys import codec
from journeys.errors import InvalidError
from journeys.policy import DeliveryPolicy

CAP_CHANNELS = ("push", "sms", "email", "in_app", "webhook")
QUIET_CHANNELS = ("push", "sms", "email", "in_app")
UNITS = ("minutes", "hours", "days", "weeks")


class PolicyFormError(InvalidError):
    """A value the marketer must fix; the message is translated and names the field."""


@dataclass
class CapValues:
    max_messages: Any = None
    per_amount: Any = 1
    per_unit: str = "days"


@dataclass
class PolicyValues:
    quiet_enabled: bool = True
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"
    quiet_action: str = "defer"
    quiet_channels: list[str] = field(default_factory=list)
    caps: dict[str, CapValues] = field(default_factory=dict)
    rate_limits: dict[str, Any] = field(default_factory=dict)
    time_zone: str = "UTC"


def values_from_policy(policy: DeliveryPolicy) -> PolicyValues:
    caps = {channel: CapValues() for channel in CAP_CHANNELS}
    for cap in policy.frequency_caps:
        if caps[cap.channel].max_messages is None:  # the form shows one cap per channel: the first one
            caps[cap.channel] = CapValues(cap.max_messages, cap.per.amount, cap.per.unit)
    quiet = policy.quiet_hours
    return PolicyValues(
        quiet_enabled=quiet.enabled,
        quiet_start=quiet.start,
        quiet_end=quiet.end,
        quiet_action=quiet.action,
        quiet_channels=list(quiet.channels),
        caps=caps,
        rate_limits=dict(policy.rate_limits),
        time_zone=policy.default_time_zone,
    )


def _time(value: Any, label_key: str) -> str:
    text = str(value or "").strip()
    hour, _, minute = text.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60 and len(minute) == 2):
        raise PolicyFormError(t("settings.invalid_time", field=t(label_key)))
    return text


def _positive(value: Any, label: str) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PolicyFormError(t("settings.invalid_number", field=label)) from None
    if not math.isfinite(number) or number < 1 or number != int(number) or number > 100_000:
        raise PolicyFormError(t("settings.invalid_number", field=label))
    return int(number)


def _zone(value: Any) -> str:
    zone = str(value or "").strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyFormError(t("settings.invalid_zone", zone=zone)) from None
    return zone


def policy_from_values(values: PolicyValues) -> DeliveryPolicy:
    """Check every field, then build the policy; raises PolicyFormError on the first bad value."""
    caps = []
    for channel in CAP_CHANNELS:
        cap = values.caps.get(channel) or CapValues()
        if cap.max_messages in (None, ""):
            continue
        label = f"{t('channel.' + channel)} · {t('settings.caps.max')}"
        caps.append(
            {
                "channel": channel,
                "max_messages": _positive(cap.max_messages, label),
                "per": {
                    "amount": _positive(cap.per_amount, f"{t('channel.' + channel)} · {t('settings.caps.per_amount')}"),
                    "unit": cap.per_unit,
                },
            }
        )
    raw = {
        "quiet_hours": {
            "enabled": bool(values.quiet_enabled),
            "start": _time(values.quiet_start, "settings.quiet.start"),
            "end": _time(values.quiet_end, "settings.quiet.end"),
            "action": values.quiet_action,
            "channels": [c for c in QUIET_CHANNELS if c in values.quiet_channels],
        },
        "frequency_caps": caps,
        "rate_limits": {name: _positive(limit, name) for name, limit in values.rate_limits.items()},
        "default_time_zone": _zone(values.time_zone),
    }
    if problems := codec.check(raw):  # what a settings row could not store (e.g. an odd provider name)
        raise PolicyFormError(str(problems[0]))
    try:
        return DeliveryPolicy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise PolicyFormError(f"{where}: {first['msg']}") from exc
