"""Workspace-wide delivery rules: quiet hours, frequency caps and provider rate limits (pure data)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from journeys.document import FrequencyCap
from journeys.fields import TimeOfDay, TimeZoneName
from journeys.revenue import RevenuePolicy


class QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    start: TimeOfDay = Field(default="21:00", description="Start of the quiet period, contact's local time")
    end: TimeOfDay = Field(default="08:00", description="End of the quiet period, contact's local time")
    action: Literal["defer", "drop"] = Field(default="defer", description="Defer to the next allowed minute, or drop")
    channels: list[Literal["push", "sms", "email", "in_app"]] = Field(default_factory=lambda: ["push", "sms"])


# How a contact counts as reachable on a channel when it never said yes or no there.
PUSH_BASES = ("push_token", "opt_in")
MESSAGE_BASES = ("opt_in", "legitimate_interest")


class ConsentPolicy(BaseModel):
    """The workspace's lawful basis per channel. An explicit opt-out always wins whatever the basis."""

    model_config = ConfigDict(extra="forbid")

    push: Literal["push_token", "opt_in"] = Field(
        default="push_token", description="push_token: a reported push token is the consent (OS permission)"
    )
    email: Literal["opt_in", "legitimate_interest"] = Field(
        default="opt_in", description="opt_in: recorded opt-in needed; legitimate_interest: unless opted out"
    )
    sms: Literal["opt_in", "legitimate_interest"] = "opt_in"


class DeliveryPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quiet_hours: QuietHours = Field(default_factory=QuietHours)
    frequency_caps: list[FrequencyCap] = Field(default_factory=list, description="Global caps, every journey")
    rate_limits: dict[str, int] = Field(
        default_factory=lambda: {"onesignal": 100, "smtp": 20, "webhook": 50},
        description="Messages per second per provider",
    )
    default_time_zone: TimeZoneName = "UTC"
    consent: ConsentPolicy = Field(default_factory=ConsentPolicy)
    revenue: RevenuePolicy = Field(default_factory=RevenuePolicy)
