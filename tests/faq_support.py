"""How well the FAQ bot does on a labelled set of questions (the bench and a test read the same figures).

A labelled CSV has ``lang,question,intent``: the intent the question should get, empty for a question the bot
should not answer (out of scope), or ``human`` for a request for a person.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from app.conversations import faq
from app.conversations.knowledge import KnowledgeBase, parse_csv

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "faq"


@dataclass(frozen=True)
class Labelled:
    lang: str
    question: str
    intent: str  # "" out of scope, "human" a request for a person


@dataclass
class Scores:
    in_scope: int = 0
    correct: int = 0
    out_of_scope: int = 0
    handed_over: int = 0
    human: int = 0
    human_handed_over: int = 0
    misses: list[tuple[Labelled, str]] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def out_of_scope_handover(self) -> float:
        return self.handed_over / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def questions(self) -> int:
        return self.in_scope + self.out_of_scope + self.human


def labelled(text: str) -> list[Labelled]:
    rows = csv.DictReader(io.StringIO(text))
    return [Labelled(r["lang"].strip(), r["question"].strip(), (r["intent"] or "").strip()) for r in rows]


def sample_knowledge() -> KnowledgeBase:
    return KnowledgeBase(revision=1, entries=tuple(parse_csv((FIXTURES / "knowledge.csv").read_text("utf-8"))))


def sample_labelled() -> list[Labelled]:
    return labelled((FIXTURES / "labelled.csv").read_text("utf-8"))


def score(kb: KnowledgeBase, rows: list[Labelled]) -> Scores:
    scores = Scores()
    for row in rows:
        found = faq.match(kb, row.question, row.lang)
        got = found.intent if found else ""
        if row.intent == faq.HUMAN:
            scores.human += 1
            scores.human_handed_over += found is None
        elif row.intent:
            scores.in_scope += 1
            scores.correct += got == row.intent
        else:
            scores.out_of_scope += 1
            scores.handed_over += found is None
        if got != (row.intent if row.intent != faq.HUMAN else ""):
            scores.misses.append((row, f"{got} {found.confidence if found else ''}"))
    return scores
