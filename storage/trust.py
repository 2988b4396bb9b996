"""Queries of the trust area: accounts, login throttling, the append-only audit log and stored secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, insert, literal, select, update
from sqlmodel import Session, col

from journeys.errors import ConflictError
from storage.trust_models import AppUser, AuditEntry, LoginThrottle, StoredSecret


class EmailTaken(ConflictError, ValueError):
    pass


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    display_name: str
    role: str
    active: bool
    session_version: int
    created_at: datetime
    last_login_at: datetime | None


def _row(user: AppUser) -> UserRow:
    assert user.id is not None
    return UserRow(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        session_version=user.session_version,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


# --- accounts ---------------------------------------------------------------------------------------------


def count_users(session: Session) -> int:
    return session.execute(select(func.count()).select_from(AppUser)).scalar_one()


def insert_user(
    session: Session, *, email: str, display_name: str, password_hash: str, role: str, now: datetime
) -> int:
    if session.execute(select(AppUser.id).where(col(AppUser.email) == email)).first():
        raise EmailTaken(email)
    user = AppUser(email=email, display_name=display_name, password_hash=password_hash, role=role, created_at=now)
    session.add(user)
    session.flush()
    assert user.id is not None
    return user.id


def insert_first_user(
    session: Session, *, email: str, display_name: str, password_hash: str, role: str, now: datetime
) -> int | None:
    """Insert the account only when no account exists, in one statement (two racing set-ups cannot both win)."""
    values = select(
        literal(email),
        literal(display_name),
        literal(password_hash),
        literal(role),
        literal(True),
        literal(1),
        literal(now, AppUser.__table__.c.created_at.type),
    ).where(~exists(select(AppUser.id)))
    table = AppUser.__table__
    cols = ["email", "display_name", "password_hash", "role", "active", "session_version", "created_at"]
    # RETURNING, not rowcount: psycopg reports -1 (unknown) for an INSERT ... SELECT.
    row = session.execute(insert(table).from_select(cols, values).returning(table.c.id)).first()
    return None if row is None else int(row[0])


def find_user(session: Session, *, email: str) -> tuple[UserRow, str] | None:
    """The account and its password hash, by (normalised) email."""
    user = session.execute(select(AppUser).where(col(AppUser.email) == email)).scalar_one_or_none()
    return None if user is None else (_row(user), user.password_hash)


def get_user(session: Session, *, user_id: int) -> UserRow | None:
    user = session.get(AppUser, user_id)
    return None if user is None else _row(user)


def list_users(session: Session) -> list[UserRow]:
    rows = session.execute(select(AppUser).order_by(col(AppUser.email))).scalars()
    return [_row(user) for user in rows]


def count_active_admins(session: Session) -> int:
    query = select(func.count()).select_from(AppUser).where(col(AppUser.role) == "admin", col(AppUser.active))
    return session.execute(query).scalar_one()


def update_user(session: Session, *, user_id: int, **values: Any) -> None:
    allowed = {"role", "active", "password_hash", "display_name", "last_login_at"}
    if not values or set(values) - allowed:
        raise ValueError(f"cannot update {sorted(set(values) - allowed)}")
    statement = update(AppUser).where(col(AppUser.id) == user_id).values(**values)
    if {"active", "password_hash"} & set(values):
        statement = statement.values(session_version=AppUser.session_version + 1)
    session.execute(statement)


# --- login throttling -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    last_failure_at: datetime | None
    locked_until: datetime | None


def get_throttle(session: Session, *, key: str) -> ThrottleState:
    row = session.get(LoginThrottle, key)
    if row is None:
        return ThrottleState(0, None, None)
    return ThrottleState(row.failures, row.last_failure_at, row.locked_until)


def put_throttle(
    session: Session, *, key: str, failures: int, last_failure_at: datetime, locked_until: datetime | None
) -> None:
    row = session.get(LoginThrottle, key) or LoginThrottle(key=key, last_failure_at=last_failure_at)
    row.failures, row.last_failure_at, row.locked_until = failures, last_failure_at, locked_until
    session.add(row)


def prune_throttle(session: Session, *, idle_since: datetime, now: datetime) -> None:
    """Forget counters nobody has added to lately, so guessed emails cannot grow the table for ever."""
    session.execute(
        delete(LoginThrottle).where(
            col(LoginThrottle.last_failure_at) < idle_since,
            (col(LoginThrottle.locked_until).is_(None)) | (col(LoginThrottle.locked_until) < now),
        )
    )


def clear_throttle(session: Session, *, key: str) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)


# --- audit log (insert and read only) ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


def insert_audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    details: dict[str, Any],
    ip: str | None,
) -> None:
    session.add(AuditEntry(at=at, actor=actor, action=action, target=target, details=details, ip=ip))


def list_audit(session: Session, *, where: AuditFilter) -> list[AuditEntry]:
    query = select(AuditEntry)
    if where.actor:
        query = query.where(col(AuditEntry.actor).contains(where.actor, autoescape=True))
    if where.action:
        query = query.where(col(AuditEntry.action) == where.action)
    if where.since:
        query = query.where(col(AuditEntry.at) >= where.since)
    if where.until:
        query = query.where(col(AuditEntry.at) < where.until)
    query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(where.limit)
    return list(session.execute(query).scalars())


def list_audit_actions(session: Session) -> list[str]:
    return list(session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars())


# --- secrets ----------------------------------------------------------------------------------------------


def put_secret(session: Session, *, name: str, ciphertext: bytes, masked: str, now: datetime, actor: str) -> None:
    row = session.get(StoredSecret, name) or StoredSecret(
        name=name, ciphertext=ciphertext, masked=masked, updated_at=now
    )
    row.ciphertext, row.masked, row.updated_at, row.updated_by = ciphertext, masked, now, actor
    session.add(row)


def get_secret(session: Session, *, name: str) -> StoredSecret | None:
    return session.get(StoredSecret, name)


def delete_secret(session: Session, *, name: str) -> bool:
    row = session.get(StoredSecret, name)
    if row is None:
        return False
    session.delete(row)
    return True
