"""The FAQ knowledge base: entries (an intent, its example questions and one answer) per language.

Entries are edited on the FAQ page and imported from CSV (``lang,intent,questions,answer``, the example questions
separated by ``|``). An import is checked whole before anything is written: a bad row is reported with its line
and column and nothing changes. Every write bumps the knowledge base's revision, which the matcher's cache keys on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from components.funnel_panels import safe_cell
from journeys.errors import InvalidError

LANGS = ("en", "fr")
COLUMNS = ("lang", "intent", "questions", "answer")
INTENT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MAX_QUESTIONS = 50
MAX_QUESTION_CHARS = 300
MAX_ANSWER_CHARS = 1600
MAX_IMPORT_BYTES = 2_000_000


@dataclass(frozen=True)
class Entry:
    lang: str
    intent: str
    questions: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class KnowledgeBase:
    """A snapshot of the entries at one revision (the matcher caches its index per revision)."""

    revision: int
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    def for_lang(self, lang: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.lang == lang)


class EntryError(InvalidError):
    """A refused entry or import row; ``field`` names the column, ``line`` the CSV line (1 is the header)."""

    def __init__(self, message: str, *, field: str, line: int | None = None) -> None:
        where = f"line {line}, column {field}" if line is not None else field
        super().__init__(f"{where}: {message}")
        self.field, self.line, self.reason = field, line, message


def split_questions(text: str) -> tuple[str, ...]:
    """Example questions from one cell or text area: separated by ``|`` or new lines, blanks dropped."""
    parts = re.split(r"[|\n]", text or "")
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def make_entry(lang: str, intent: str, questions: str | tuple[str, ...], answer: str, line: int | None = None) -> Entry:
    """A checked entry, or EntryError naming the field that is wrong."""
    lang = (lang or "").strip().lower()
    if lang not in LANGS:
        raise EntryError(f"must be one of {', '.join(LANGS)}", field="lang", line=line)
    intent = (intent or "").strip().lower()
    if not INTENT_PATTERN.match(intent):
        raise EntryError(
            "letters, digits, '_', '.' or '-' (at most 64), starting with a letter or digit", field="intent", line=line
        )
    if isinstance(questions, str):
        found = split_questions(questions)
    else:
        found = tuple(q.strip() for q in questions if q.strip())
    if not found:
        raise EntryError("at least one example question is required", field="questions", line=line)
    if len(found) > MAX_QUESTIONS:
        raise EntryError(f"at most {MAX_QUESTIONS} example questions", field="questions", line=line)
    if any(len(q) > MAX_QUESTION_CHARS for q in found):
        raise EntryError(f"a question has more than {MAX_QUESTION_CHARS} characters", field="questions", line=line)
    answer = (answer or "").strip()
    if not answer:
        raise EntryError("an answer is required", field="answer", line=line)
    if len(answer) > MAX_ANSWER_CHARS:
        raise EntryError(f"at most {MAX_ANSWER_CHARS} characters", field="answer", line=line)
    return Entry(lang=lang, intent=intent, questions=found, answer=answer)


def parse_csv(text: str) -> list[Entry]:
    """Every row of a CSV export, checked; the first bad row raises EntryError (line and column) and nothing is
    kept. A (lang, intent) pair may appear once."""
    if len(text.encode("utf-8", "replace")) > MAX_IMPORT_BYTES:
        raise EntryError(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB", field="file")
    if "\x00" in text:
        raise EntryError("this is not a text CSV file", field="file")
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    # Spreadsheets set to French save with semicolons.
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        expected = ",".join(COLUMNS)
        raise EntryError(f"missing column(s) {', '.join(missing)}; expected {expected}", field="header", line=1)
    reader.fieldnames = header
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise EntryError("more cells than columns (quote cells that contain commas)", field="answer", line=line)
        if not any((v or "").strip() for v in row.values()):
            continue
        entry = make_entry(row["lang"] or "", row["intent"] or "", row["questions"] or "", row["answer"] or "", line)
        key = (entry.lang, entry.intent)
        if key in seen:
            raise EntryError(f"{entry.lang}/{entry.intent} is already on line {seen[key]}", field="intent", line=line)
        seen[key] = line
        entries.append(entry)
    if not entries:
        raise EntryError("no entries in the file", field="file")
    return entries


def to_csv(entries: list[Entry] | tuple[Entry, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        # A cell starting like a formula is neutralised: the file is opened in spreadsheets.
        writer.writerow([safe_cell(v) for v in (e.lang, e.intent, " | ".join(e.questions), e.answer)])
    return out.getvalue()
