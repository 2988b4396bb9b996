"""Accounts: create users, verify passwords (argon2) behind a persistent login throttle, change roles.

Every change to an account is written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email

from app.access import audit
from app.core.context import AppContext
from journeys.errors import InvalidError
from storage import trust as store
from storage.trust_models import ROLES

VIEWER, MARKETER, ADMIN = ROLES
# Support agents answer conversations in the inbox and read the FAQ, nothing else: they stand beside the
# viewer < marketer < admin ladder, not on it. Marketers and admins may do what an agent does.
AGENT = "agent"
ACCOUNT_ROLES = (AGENT, *ROLES)
# A level a page may require that any account meets (the inbox and the FAQ are readable by every role).
SIGNED_IN = "signed_in"
LEVELS = (*ACCOUNT_ROLES, SIGNED_IN)
# The name of each level (a role, or any signed-in account).
ROLE_KEYS = {
    VIEWER: "role.viewer",
    MARKETER: "role.marketer",
    ADMIN: "role.admin",
    AGENT: "role.agent",
    SIGNED_IN: "role.signed_in",
}
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

# Failures allowed before delays start, per account and per client address (several people may share one).
ACCOUNT_FREE_FAILURES = 5
IP_FREE_FAILURES = 20
MAX_LOCK = timedelta(minutes=15)
# Failures are forgotten after this long without a new one.
FORGET_AFTER = timedelta(hours=1)

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so the reply takes as long as for a real account."""
    return _hasher.hash("parcours-dummy-password")


class AuthError(InvalidError):
    """A refused account operation. ``str()`` is the English line for the command line and logs; ``code``,
    ``field`` and ``values`` let pages say it in the user's words and language, on the field it concerns."""

    def __init__(self, message: str, code: str = "", field: str = "", **values: object) -> None:
        super().__init__(message)
        self.code, self.field, self.values = code, field, values


class LoginRefused(AuthError):
    def __init__(self, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Principal:
    """The signed-in person (or API token owner) a request acts as."""

    user_id: int
    email: str
    display_name: str
    role: str
    session_version: int = 0

    @property
    def label(self) -> str:
        return self.email


def allows(role: str, required: str) -> bool:
    """Whether ``role`` may do what ``required`` protects (admin > marketer > viewer; an agent only what requires
    ``agent`` or ``signed_in``, which marketers and admins also meet)."""
    if role not in ACCOUNT_ROLES or required not in LEVELS:
        return False
    if required == SIGNED_IN:
        return True
    if required == AGENT:
        return role in (AGENT, MARKETER, ADMIN)
    if role == AGENT:
        return False
    return ROLES.index(role) >= ROLES.index(required)


def home_path(role: str) -> str:
    """Where an account lands after signing in: agents have no journeys to see, only the inbox."""
    return "/inbox" if role == AGENT else "/"


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AuthError(f"email: {exc}", "email_invalid", "email") from exc


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(
            f"password: at least {MIN_PASSWORD_LENGTH} characters are required",
            "password_short",
            "password",
            min=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError(
            f"password: at most {MAX_PASSWORD_LENGTH} characters", "password_long", "password", max=MAX_PASSWORD_LENGTH
        )


def check_role(role: str) -> str:
    """An account's role."""
    if role not in ACCOUNT_ROLES:
        raise AuthError(f"role: must be one of {', '.join(ACCOUNT_ROLES)}", "role_unknown", "role")
    return role


def check_level(level: str) -> str:
    """What a page, route or handler may require: a role or ``signed_in``."""
    if level not in LEVELS:
        raise AuthError(f"role: must be one of {', '.join(LEVELS)}", "role_unknown", "role")
    return level


def has_users(ctx: AppContext) -> bool:
    with ctx.db.session() as session:
        return store.count_users(session) > 0


def _account(email: str, password: str, display_name: str, role: str, now: datetime) -> dict[str, Any]:
    """The columns of a new account, once its email, password and role are acceptable."""
    email, role = normalise_email(email), check_role(role)
    check_password(password)
    return {
        "email": email,
        "display_name": display_name.strip(),
        "password_hash": _hasher.hash(password),
        "role": role,
        "now": now,
    }


def create_user(
    ctx: AppContext, *, email: str, password: str, role: str, display_name: str = "", actor: str = "cli"
) -> int:
    account = _account(email, password, display_name, role, ctx.clock.now())
    email = account["email"]
    with ctx.db.session() as session:
        try:
            user_id = store.insert_user(session, **account)
        except store.EmailTaken as exc:
            raise AuthError(
                f"email: an account for {email} already exists", "email_taken", "email", email=email
            ) from exc
        audit.record(ctx, actor, "user.create", email, {"role": role}, session=session)
    return user_id


def create_first_admin(
    ctx: AppContext, *, email: str, password: str, display_name: str = "", ip: str | None = None
) -> int:
    """The set-up step of a fresh install; refused once any account exists."""
    account = _account(email, password, display_name, ADMIN, ctx.clock.now())
    email = account["email"]
    with ctx.db.session() as session:
        user_id = store.insert_first_user(session, **account)
        if user_id is None:
            raise AuthError("set-up is already done; sign in instead", "setup_done")
        audit.record(ctx, email, "user.setup", email, {"role": ADMIN}, ip=ip, session=session)
    return user_id


def list_users(ctx: AppContext) -> list[store.UserRow]:
    with ctx.db.session() as session:
        return store.list_users(session)


def get_user(ctx: AppContext, user_id: int) -> store.UserRow | None:
    with ctx.db.session() as session:
        return store.get_user(session, user_id=user_id)


def _existing(session: store.Session, email: str) -> store.UserRow:
    found = store.find_user(session, email=normalise_email(email))
    if found is None:
        raise AuthError(f"email: no account for {email}", "no_account", "email", email=email)
    return found[0]


def _keep_an_admin(session: store.Session, user: store.UserRow) -> None:
    if user.role == ADMIN and user.active and store.count_active_admins(session) <= 1:
        raise AuthError("the last active admin cannot be demoted or deactivated", "last_admin")


def change_role(ctx: AppContext, *, email: str, role: str, actor: str) -> None:
    role = check_role(role)
    with ctx.db.session() as session:
        user = _existing(session, email)
        if user.role == role:
            return
        if role != ADMIN:
            _keep_an_admin(session, user)
        store.update_user(session, user_id=user.id, role=role)
        audit.record(ctx, actor, "user.role", user.email, {"from": user.role, "to": role}, session=session)


def set_active(ctx: AppContext, *, email: str, active: bool, actor: str) -> None:
    with ctx.db.session() as session:
        user = _existing(session, email)
        if user.active == active:
            return
        if not active:
            if user.email == actor:
                raise AuthError("you cannot deactivate your own account", "own_account")
            _keep_an_admin(session, user)
        store.update_user(session, user_id=user.id, active=active)
        audit.record(ctx, actor, "user.activate" if active else "user.deactivate", user.email, session=session)


def set_password(ctx: AppContext, *, email: str, password: str, actor: str) -> None:
    check_password(password)
    hashed = _hasher.hash(password)
    with ctx.db.session() as session:
        user = _existing(session, email)
        store.update_user(session, user_id=user.id, password_hash=hashed)
        audit.record(ctx, actor, "user.password", user.email, session=session)


# --- signing in -------------------------------------------------------------------------------------------


def lock_delay(failures: int, free: int) -> timedelta:
    """No delay for the first ``free`` failures, then 2 s, 4 s, 8 s... up to MAX_LOCK."""
    if failures <= free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 20)), MAX_LOCK)


def _locked_for(state: store.ThrottleState, now: datetime) -> timedelta | None:
    if state.locked_until is not None and state.locked_until > now:
        return state.locked_until - now
    return None


def _fail(session: store.Session, key: str, free: int, now: datetime) -> None:
    state = store.get_throttle(session, key=key)
    failures = state.failures
    if state.last_failure_at is None or now - state.last_failure_at > FORGET_AFTER:
        failures = 0
    failures += 1
    delay = lock_delay(failures, free)
    store.put_throttle(
        session, key=key, failures=failures, last_failure_at=now, locked_until=now + delay if delay else None
    )


def login(ctx: AppContext, *, email: str, password: str, ip: str | None = None) -> Principal:
    """The account for these credentials, or LoginRefused. Guessing is slowed per account and per address."""
    now = ctx.clock.now()
    email_key = email.strip().lower()[:320]
    keys = [(f"account:{email_key}", ACCOUNT_FREE_FAILURES)]
    if ip:
        keys.append((f"ip:{ip}", IP_FREE_FAILURES))
    with ctx.db.session() as session:
        waits = [w for key, _ in keys if (w := _locked_for(store.get_throttle(session, key=key), now))]
        if waits:
            wait = max(waits)
            audit.record(
                ctx,
                email_key,
                "login.throttled",
                email_key,
                {"retry_after_s": int(wait.total_seconds())},
                ip=ip,
                session=session,
            )
            raise LoginRefused(f"too many failed attempts; try again in {_human(wait)}", wait)
        found = store.find_user(session, email=email_key)
        hashed = found[1] if found else _dummy_hash()
        ok = _verify(hashed, password) and found is not None and found[0].active
        if not ok:
            store.prune_throttle(session, idle_since=now - FORGET_AFTER, now=now)
            for key, free in keys:
                _fail(session, key, free, now)
            audit.record(ctx, email_key, "login.failure", email_key, ip=ip, session=session)
    if not ok:
        raise LoginRefused("wrong email or password")
    assert found is not None
    user, hashed = found
    with ctx.db.session() as session:
        store.clear_throttle(session, key=keys[0][0])
        values: dict[str, object] = {"last_login_at": now}
        if _hasher.check_needs_rehash(hashed):
            values["password_hash"] = _hasher.hash(password)
        store.update_user(session, user_id=user.id, **values)
        audit.record(ctx, user.email, "login.success", user.email, ip=ip, session=session)
        user = store.get_user(session, user_id=user.id) or user
    return Principal(user.id, user.email, user.display_name, user.role, user.session_version)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return False


def _human(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    return f"{seconds} s" if seconds < 120 else f"{(seconds + 59) // 60} min"


def principal_for(ctx: AppContext, *, user_id: int, session_version: int) -> Principal | None:
    """The principal of a stored session, or None if the account is gone, inactive or the session is stale."""
    user = get_user(ctx, user_id)
    if user is None or not user.active or user.session_version != session_version:
        return None
    return Principal(user.id, user.email, user.display_name, user.role, user.session_version)


def get_user_by_email(ctx: AppContext, email: str) -> store.UserRow | None:
    with ctx.db.session() as session:
        found = store.find_user(session, email=email.strip().lower())
    return None if found is None else found[0]
