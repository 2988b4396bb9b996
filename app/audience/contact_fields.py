"""Validation and normalisation of contact fields: email, E.164 phone, IANA time zone, locale, location.

Used by the tracking API and the CSV import, so both refuse the same things with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from journeys.errors import InvalidError

_ZONES: set[str] | None = None
CONSENT_VALUES = ("subscribed", "unsubscribed")
CHANNELS = ("push", "sms", "email", "in_app")


class FieldError(InvalidError):
    """A bad value for one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def normalize_email(value: Any, field: str = "email") -> str:
    if not isinstance(value, str):
        raise FieldError(field, "must be text")
    try:
        return _email(value.strip())
    except EmailNotValidError as exc:
        raise FieldError(field, f"not a valid email address ({exc})") from None


@lru_cache(maxsize=4096)
def _email(text: str) -> str:
    """Validation is costly and imports see each address twice (matching, then ingestion): remembered."""
    return validate_email(text, check_deliverability=False).normalized


def normalize_phone(value: Any, default_region: str, field: str = "phone") -> str:
    """E.164 (``+33612345678``); numbers without a country code use ``default_region``."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldError(field, "must be text")
    try:
        number = phonenumbers.parse(str(value).strip(), default_region)
    except phonenumbers.NumberParseException:
        raise FieldError(field, f"not a phone number: {str(value)[:40]!r}") from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError(field, f"not a valid phone number: {str(value)[:40]!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_time_zone(value: Any, field: str = "timezone") -> str:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    if not isinstance(value, str) or value.strip() not in _ZONES:
        raise FieldError(field, f"unknown time zone {str(value)[:64]!r} (use an IANA name such as Europe/Paris)")
    name = value.strip()
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:
        raise FieldError(field, f"unknown time zone {name!r}") from None
    return name


def normalize_locale(value: Any, field: str = "locale") -> str:
    if not isinstance(value, str) or not 2 <= len(value.strip()) <= 35:
        raise FieldError(field, "must be a language tag such as fr-FR")
    return value.strip().replace("_", "-")


# What apps may send per channel: the stored words, or a plain yes/no as a switch in the app's settings gives it.
CONSENT_ALIASES = {True: "subscribed", False: "unsubscribed"}


def normalize_consent(value: Any, field: str = "consent") -> dict[str, str]:
    """``{"sms": true, "email": "unsubscribed"}`` -> ``{"sms": "subscribed", "email": "unsubscribed"}``."""
    if not isinstance(value, Mapping):
        raise FieldError(field, 'must be an object such as {"sms": true, "email": false}')
    out = {}
    for channel, status in value.items():
        if channel not in CHANNELS:
            raise FieldError(f"{field}.{channel}", f"unknown channel; use one of {', '.join(CHANNELS)}")
        if isinstance(status, bool):
            status = CONSENT_ALIASES[status]
        if status not in CONSENT_VALUES:
            raise FieldError(f"{field}.{channel}", "must be true, false, subscribed or unsubscribed")
        out[channel] = status
    return out


def _coordinate(value: Any, field: str, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FieldError(field, "must be a number")
    if not -limit <= value <= limit:
        raise FieldError(field, f"must be between -{limit:g} and {limit:g}")
    return float(value)


def _kept(dropped: list[FieldError] | None, normalize: Any, *args: Any) -> Any:
    """``normalize(*args)``; when ``dropped`` is a list, a bad value is recorded there and None returned instead
    of raising (the tracking API keeps the rest of a message and warns about the dropped field)."""
    try:
        return normalize(*args)
    except FieldError as exc:
        if dropped is None:
            raise
        dropped.append(exc)
        return None


def fields_from_context(context: Mapping[str, Any] | None, dropped: list[FieldError] | None = None) -> dict[str, Any]:
    """Contact columns from Segment's ``context`` (location, device, os, timezone, locale)."""
    if not isinstance(context, Mapping):
        return {}
    out: dict[str, Any] = {}
    location = context.get("location")
    if isinstance(location, Mapping) and location.get("latitude") is not None:
        lat = _kept(dropped, _coordinate, location.get("latitude"), "context.location.latitude", 90)
        lon = _kept(dropped, _coordinate, location.get("longitude"), "context.location.longitude", 180)
        if lat is not None and lon is not None:
            out["lat"], out["lon"] = lat, lon
    device = context.get("device")
    if isinstance(device, Mapping):
        name = " ".join(str(device[k]) for k in ("manufacturer", "model") if device.get(k))
        if name:
            out["device"] = name[:200]
        if isinstance(device.get("type"), str) and device["type"]:
            out["platform"] = device["type"].lower()[:40]
        if isinstance(device.get("token"), str) and device["token"]:
            out["push_id"] = device["token"][:200]
    os_info = context.get("os")
    if "platform" not in out and isinstance(os_info, Mapping) and isinstance(os_info.get("name"), str):
        out["platform"] = os_info["name"].lower()[:40]
    for key, column, normalize in (
        ("timezone", "time_zone", normalize_time_zone),
        ("locale", "locale", normalize_locale),
    ):
        if context.get(key) and (value := _kept(dropped, normalize, context[key], f"context.{key}")) is not None:
            out[column] = value
    return out


# Traits that set a contact column instead of an attribute, with the column they set.
TRAIT_COLUMNS = {
    "email": "email",
    "phone": "phone",
    "timezone": "time_zone",
    "time_zone": "time_zone",
    "locale": "locale",
    "push_id": "push_id",
    "pushId": "push_id",
    "onesignal_id": "push_id",
    "consent": "consent",
}


def split_traits(
    traits: Mapping[str, Any],
    *,
    default_region: str,
    prefix: str = "traits",
    dropped: list[FieldError] | None = None,
) -> tuple[dict, dict]:
    """(contact columns, remaining attributes) from Segment traits, validating the recognised ones.

    A bad recognised trait raises FieldError, or, when ``dropped`` is a list, is left out and recorded there.
    """
    columns: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for key, value in traits.items():
        column = TRAIT_COLUMNS.get(key)
        if column is None or value is None:
            attributes[key] = value
            continue
        field = f"{prefix}.{key}"
        if column == "push_id":
            columns["push_id"] = str(value)[:200]
        elif column == "phone":
            kept = _kept(dropped, normalize_phone, value, default_region, field)
        else:
            kept = _kept(dropped, _NORMALIZERS[column], value, field)
        if column != "push_id" and kept is not None:
            columns[column] = kept
    return columns, attributes


_NORMALIZERS = {
    "email": normalize_email,
    "time_zone": normalize_time_zone,
    "locale": normalize_locale,
    "consent": normalize_consent,
}
