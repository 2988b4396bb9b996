"""Settings and position of each CRM sync, kept in workspace settings.

``crm.<name>`` holds what an admin chose: enabled, field mapping (CRM property → ``email``, ``phone`` or a
contact attribute), outcomes to write back and the schedule. Credentials are secrets (app/access/secrets.py: encrypted,
shown masked). ``crm.<name>.state`` holds where the import stands (``since`` watermark and ``cursor``, written
in the same transaction as each page's contacts), when to retry, the last run and the last error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.access import audit, secrets
from app.core.context import AppContext
from app.integrations.crm.source import CrmSource
from journeys.errors import InvalidError
from storage.workspace import get_setting, put_setting

# Journey outcomes that can be written back, and the CRM property each is written to.
OUTCOMES = {
    "journey": "parcours_last_journey",
    "converted": "parcours_converted",
    "last_channel": "parcours_last_channel",
    "last_message_at": "parcours_last_message_at",
    "revenue": "parcours_revenue",
}
DEFAULT_MINUTES = 15
MAX_MAPPINGS = 50
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")

# CRM name → (credential fields, factory building its adapter from the clear credentials and the settings).
Factory = Callable[[dict[str, str], "CrmSettings"], CrmSource]
ADAPTERS: dict[str, tuple[tuple[str, ...], Factory]] = {}


def register(name: str, credentials: tuple[str, ...], factory: Factory) -> None:
    ADAPTERS[name] = (credentials, factory)


class ConfigError(InvalidError):
    """A setting refused, naming its field; nothing was saved."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass
class CrmSettings:
    enabled: bool = False
    mapping: dict[str, str] = field(default_factory=dict)  # CRM property → email | phone | attribute name
    outcomes: list[str] = field(default_factory=list)
    minutes: int = DEFAULT_MINUTES
    host: str = ""  # the API's address when not the CRM's public one (a proxy, a sandbox)

    def as_dict(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "mapping": dict(self.mapping),
            "outcomes": list(self.outcomes),
            "minutes": self.minutes,
            "host": self.host,
        }


def _key(name: str) -> str:
    return f"crm.{name}"


def _state_key(name: str) -> str:
    return f"crm.{name}.state"


def secret_name(name: str, credential: str) -> str:
    return f"crm_{name}_{credential}"


def load(ctx: AppContext, name: str) -> CrmSettings:
    with ctx.db.session() as session:
        stored = get_setting(session, key=_key(name)) or {}
    return CrmSettings(
        enabled=bool(stored.get("enabled")),
        mapping=dict(stored.get("mapping") or {}),
        outcomes=[o for o in stored.get("outcomes") or [] if o in OUTCOMES],
        minutes=int(stored.get("minutes") or DEFAULT_MINUTES),
        host=str(stored.get("host") or ""),
    )


def check(raw: dict[str, Any]) -> CrmSettings:
    """Settings from a form or the API, each bad field refused by name."""
    mapping: dict[str, str] = {}
    rows = raw.get("mapping") or {}
    if not isinstance(rows, dict) or len(rows) > MAX_MAPPINGS:
        raise ConfigError("mapping", f"at most {MAX_MAPPINGS} pairs of CRM property and contact field")
    for source, target in rows.items():
        source, target = str(source).strip(), str(target or "").strip()
        if not _NAME.match(source):
            raise ConfigError("mapping", f"not a CRM property name: {source[:60]!r}")
        if not _NAME.match(target):
            raise ConfigError("mapping", f"not a contact field name: {target[:60]!r}")
        mapping[source] = target
    outcomes = list(raw.get("outcomes") or [])
    unknown = [o for o in outcomes if o not in OUTCOMES]
    if unknown:
        raise ConfigError("outcomes", f"unknown outcome {str(unknown[0])[:40]!r}")
    try:
        minutes = int(raw.get("minutes") or DEFAULT_MINUTES)
    except (TypeError, ValueError) as exc:
        raise ConfigError("minutes", "a whole number of minutes") from exc
    if not 1 <= minutes <= 7 * 24 * 60:
        raise ConfigError("minutes", "between 1 and 10080 (a week)")
    host = str(raw.get("host") or "").strip()
    if host and not re.match(r"^https?://[^\s/]+", host):
        raise ConfigError("host", "an http(s) address")
    return CrmSettings(bool(raw.get("enabled")), mapping, outcomes, minutes, host)


def save(ctx: AppContext, name: str, chosen: CrmSettings, *, actor: str) -> None:
    with ctx.db.session() as session:
        put_setting(session, key=_key(name), value=chosen.as_dict(), now=ctx.clock.now())
        audit.record(ctx, actor, "settings.save", _key(name), chosen.as_dict(), session=session)


def save_credential(ctx: AppContext, name: str, credential: str, value: str, *, actor: str) -> str:
    """Store a credential encrypted (audited); returns its masked form. SecretError for an empty or long one."""
    return secrets.save(ctx, secret_name(name, credential), value, actor=actor)


def masked_credentials(ctx: AppContext, name: str) -> dict[str, str]:
    fields = ADAPTERS[name][0] if name in ADAPTERS else ()
    return {credential: secrets.masked(ctx, secret_name(name, credential)) or "" for credential in fields}


def credentials(ctx: AppContext, name: str) -> dict[str, str] | None:
    """The clear credentials, None when one is missing (SecretError when the encryption key changed)."""
    out: dict[str, str] = {}
    for credential in ADAPTERS[name][0]:
        value = secrets.reveal(ctx, secret_name(name, credential))
        if not value:
            return None
        out[credential] = value
    return out


# The position and the last run -------------------------------------------------------------------------------


def state(ctx: AppContext, name: str) -> dict[str, Any]:
    with ctx.db.session() as session:
        return get_setting(session, key=_state_key(name)) or {}


def state_in(session: Session, name: str) -> dict[str, Any]:
    return get_setting(session, key=_state_key(name)) or {}


def put_state(session: Session, name: str, changes: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """Merge ``changes`` into the stored state, inside the caller's transaction."""
    merged = {**state_in(session, name), **changes}
    put_setting(session, key=_state_key(name), value=merged, now=now)
    return merged


def update_state(ctx: AppContext, name: str, changes: dict[str, Any]) -> dict[str, Any]:
    with ctx.db.session() as session:
        return put_state(session, name, changes, now=ctx.clock.now())


def claim(ctx: AppContext, name: str, *, until: datetime) -> bool:
    """Take the run lease of this CRM until ``until``; False while another run (any process) holds it."""
    with ctx.db.write_session() as session:
        held = state_in(session, name).get("running_until")
        if held and datetime.fromisoformat(held) > ctx.clock.now():
            return False
        put_state(session, name, {"running_until": until.isoformat()}, now=ctx.clock.now())
        return True
