"""CSV import of contacts: streamed, validated per row, upserted in batches by external id or email.

A bad row is reported with its line number and reason and never stops the good rows. Each batch is one
transaction. Cells are typed on the way in: integers, decimals and true/false become JSON numbers and
booleans when they read back identically (so ``01234`` stays text, and so do integers beyond 64 bits and
``NaN``/``inf``, which JSON cannot store as numbers: see journeys/codec.py).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from app.audience import consent
from app.audience.contact_fields import (
    FieldError,
    normalize_email,
    normalize_locale,
    normalize_phone,
    normalize_time_zone,
)
from app.audience.segment_service import refresh_contacts
from app.core import wakeup
from app.core.context import AppContext
from app.privacy import gdpr
from journeys import codec
from journeys.errors import ParcoursError
from storage import contacts as store

COLUMN_TARGETS = {
    "external_id",
    "email",
    "phone",
    "time_zone",
    "timezone",
    "locale",
    "push_id",
    "platform",
    "device",
    "lat",
    "lon",
}
CONSENT_WORDS = {
    "subscribed": "subscribed",
    "yes": "subscribed",
    "true": "subscribed",
    "1": "subscribed",
    "oui": "subscribed",
    "unsubscribed": "unsubscribed",
    "no": "unsubscribed",
    "false": "unsubscribed",
    "0": "unsubscribed",
    "non": "unsubscribed",
}


class ImportFailure(ParcoursError):
    """The import cannot start (unreadable file, bad mapping, missing header)."""


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def parse_mapping(text: str) -> dict[str, str]:
    """``email=Email,attr.city=City`` → {target field: CSV column}."""
    mapping: dict[str, str] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        target, sep, column = pair.partition("=")
        target, column = target.strip(), column.strip()
        if not sep or not target or not column:
            raise ImportFailure(f"--map: {pair.strip()!r} is not field=Column")
        if target.startswith("consent.") and target[8:] not in {"push", "sms", "email", "in_app"}:
            raise ImportFailure(f"--map: unknown consent channel in {target!r}")
        if problems := codec.check({target: None}):  # an attribute name that cannot be stored
            raise ImportFailure(f"--map: {problems[0]}")
        mapping[target] = column
    if not {"external_id", "email"} & set(mapping):
        raise ImportFailure("--map: map external_id or email (contacts are matched on them)")
    return mapping


def typed(cell: str) -> Any:
    if cell in {"true", "false"}:
        return cell == "true"
    try:
        number = int(cell)
        if str(number) == cell and codec.INT_MIN <= number <= codec.INT_MAX:
            return number
    except ValueError:
        pass
    try:
        real = float(cell)
        if math.isfinite(real) and repr(real) == cell:
            return real
    except ValueError:
        pass
    return cell


def _coordinate(cell: str, name: str, limit: float) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise FieldError(name, f"not a number: {cell[:40]!r}") from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise FieldError(name, f"must be between -{limit:g} and {limit:g}")
    return value


def row_to_record(row: dict[str, str], mapping: dict[str, str], region: str) -> dict[str, Any]:
    """One CSV row as contact columns plus ``attributes`` and ``consent``; raises FieldError."""
    record: dict[str, Any] = {"attributes": {}, "consent": {}}
    for target, column in mapping.items():
        cell = (row.get(column) or "").strip()
        if not cell:
            continue
        if target == "email":
            record["email"] = normalize_email(cell, column)
        elif target == "phone":
            record["phone"] = normalize_phone(cell, region, column)
        elif target in {"time_zone", "timezone"}:
            record["time_zone"] = normalize_time_zone(cell, column)
        elif target == "locale":
            record["locale"] = normalize_locale(cell, column)
        elif target in {"lat", "lon"}:
            record[target] = _coordinate(cell, column, 90 if target == "lat" else 180)
        elif target in COLUMN_TARGETS:
            record[target] = cell[:200]
        elif target.startswith("consent."):
            status = CONSENT_WORDS.get(cell.lower())
            if status is None:
                raise FieldError(column, "consent must be subscribed/unsubscribed (or yes/no)")
            record["consent"][target[8:]] = status
        else:
            record["attributes"][target.removeprefix("attr.")] = typed(cell)
    if not record.get("external_id") and not record.get("email"):
        raise FieldError(mapping.get("external_id") or mapping["email"], "an external id or an email is required")
    if ("lat" in record) != ("lon" in record):
        raise FieldError(mapping.get("lat") or mapping.get("lon") or "lat", "latitude and longitude go together")
    return record


def _rows(file: IO[str], mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(file)
    missing = [col for col in mapping.values() if col not in (reader.fieldnames or [])]
    if missing:
        raise ImportFailure(f"line 1: column(s) not in the header: {', '.join(missing)}")
    for row in reader:
        yield reader.line_num, row


def _merge(profile: dict[str, Any], record: dict[str, Any]) -> None:
    for key, value in record.items():
        if key in {"attributes", "consent"}:
            profile[key] = {**(profile.get(key) or {}), **value}
        else:
            profile[key] = value


def upsert_batch(ctx: AppContext, records: list[tuple[int, dict[str, Any]]], report: Report) -> None:
    """Create or update one batch of records in one transaction (later rows for the same person win)."""
    now = ctx.clock.now()
    with ctx.db.session() as session:
        records = gdpr.skip_erased(ctx, session, records, report.rejected)
        by_ext = store.ids_by(session, "external_id", [r.get("external_id") for _, r in records])
        by_email = store.ids_by(session, "email", [r.get("email") for _, r in records if not r.get("external_id")])
        updates: dict[int, list[dict[str, Any]]] = {}
        creates: dict[str, dict[str, Any]] = {}
        for _line, record in records:
            cid = by_ext.get(record.get("external_id") or "") or (
                None if record.get("external_id") else by_email.get(record.get("email") or "")
            )
            if cid is not None:
                updates.setdefault(cid, []).append(record)
                continue
            key = record.get("external_id") or "email:" + record["email"]
            if key in creates:
                _merge(creates[key], record)
            else:
                creates[key] = {**record, "attributes": dict(record["attributes"]), "consent": dict(record["consent"])}
        profiles = store.load_profiles(session, updates)
        before = {cid: {"consent": dict(p.get("consent") or {})} for cid, p in profiles.items()}
        for cid, changes in updates.items():
            for record in changes:
                _merge(profiles[cid], record)
        store.save_profiles(session, profiles, now=now)
        new_ids = store.insert_contacts(session, list(creates.values()), now=now)
        after = {**profiles, **dict(zip(new_ids, creates.values(), strict=True))}
        consent.log_changes(session, before, after, source="csv", actor="csv import", now=now)
        refresh_contacts(session, contact_ids=[*profiles, *new_ids], ctx=ctx)
    report.created += len(new_ids)
    report.updated += len(profiles)


class Progress:
    """A text progress bar on a stream (stderr), redrawn at most every 1%."""

    def __init__(self, stream: IO[str] | None, total: int) -> None:
        self.stream, self.total, self.shown = stream, max(total, 1), -1

    def update(self, done: int, rows: int) -> None:
        if self.stream is None:
            return
        percent = min(100, done * 100 // self.total)
        if percent == self.shown:
            return
        self.shown = percent
        bar = "#" * (percent // 4) + "-" * (25 - percent // 4)
        self.stream.write(f"\r[{bar}] {percent:3d}% {rows:,} rows")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def import_file(
    ctx: AppContext, path: str, mapping: dict[str, str], *, progress: IO[str] | None = None, batch_size: int = 2_000
) -> Report:
    """Stream ``path`` and upsert its rows; returns the report."""
    file = Path(path)
    try:
        raw = file.open("rb")
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot read file ({exc.strerror})") from exc
    report, batch, rows = Report(), [], 0
    bar = Progress(progress, file.stat().st_size)
    region = ctx.settings.default_region
    with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        try:
            for line, row in _rows(text, mapping):
                rows += 1
                try:
                    batch.append((line, row_to_record(row, mapping, region)))
                except FieldError as exc:
                    report.rejected.append((line, f"{exc.field}: {exc.message}"))
                if len(batch) >= batch_size:
                    upsert_batch(ctx, batch, report)
                    batch = []
                    bar.update(raw.tell(), rows)
            if batch:
                upsert_batch(ctx, batch, report)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ImportFailure(f"{path}: line {rows + 2}: {exc}") from exc
    bar.update(bar.total, rows)
    bar.finish()
    wakeup.events_arrived()
    return report
