"""Importing a product catalogue from CSV: every row checked first, then all written or none.

Columns (header row, any order): ``product_id`` and ``name`` required; ``price``, ``url`` and ``image_url``
optional. A bad value is reported as ``line N, column C: reason``; one bad row means nothing is written.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

from app.core.context import AppContext
from storage import products as store

COLUMNS = ("product_id", "name", "price", "url", "image_url")
REQUIRED = ("product_id", "name")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
LIMITS = {"product_id": 200, "name": 500, "url": 2000, "image_url": 2000}


@dataclass
class Report:
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    written: int = 0


def _value(column: str, raw: str) -> tuple[Any, str | None]:
    text = raw.strip()
    if column in REQUIRED and not text:
        return None, "required"
    if len(text) > LIMITS.get(column, 64):
        return None, f"longer than {LIMITS.get(column, 64)} characters"
    if column == "price" and text:
        try:
            price = float(text)
        except ValueError:
            return None, f"not a number: {text[:40]!r}"
        if not math.isfinite(price) or price < 0:
            return None, "must be a number of zero or more"
        return price, None
    if column in ("url", "image_url") and text and not text.lower().startswith(("https://", "http://")):
        return None, "must start with https:// or http://"
    return text or None, None


def parse(data: bytes) -> Report:
    """The file's rows by product id, or the reasons it cannot be imported."""
    report = Report()
    if len(data) > MAX_BYTES:
        report.errors.append(f"file: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append("file: not UTF-8 text")
        return report
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.errors.append(f"line 1: missing column {', '.join(missing)}")
        return report
    try:
        for cells in reader:
            if reader.line_num - 1 > MAX_ROWS:
                report.errors.append(f"file: more than {MAX_ROWS} rows")
                break
            if any(cell.strip() for cell in cells):
                _row(report, reader.line_num, dict(zip(header, cells, strict=False)))
    except csv.Error as exc:
        report.errors.append(f"line {reader.line_num}: {exc}")
    return report


def _row(report: Report, line: int, cells: dict[str, str]) -> None:
    row: dict[str, Any] = {}
    for column in COLUMNS:
        value, problem = _value(column, cells.get(column) or "")
        if problem:
            report.errors.append(f"line {line}, column {column}: {problem}")
            return
        row[column] = value
    if row["product_id"] in report.rows:
        report.errors.append(f"line {line}, column product_id: {row['product_id']!r} appears twice")
        return
    report.rows[row.pop("product_id")] = row


def import_csv(ctx: AppContext, data: bytes) -> Report:
    """Parse, then write every row in one transaction; nothing is written when any row is bad."""
    report = parse(data)
    if report.errors or not report.rows:
        if not report.errors:
            report.errors.append("file: no products")
        return report
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.begin() as conn:
        report.written = store.save_products(conn, report.rows, source="import", now=now)
    return report
