"""The FAQ bot's matcher: an inbound question to a knowledge-base answer with a confidence, locally.

TF-IDF on character n-grams (robust to typos and inflections) and on words, fitted per language on the example
questions of the knowledge base; no model is downloaded. Text is compared without case or accents. The fitted
index is cached per knowledge-base revision, so a question costs one small sparse product.

``match`` returns None when the conversation should go to a person: the person asks for one ("agent",
"parler à quelqu'un"...), or no entry is close enough (below ``THRESHOLD``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from app.conversations.knowledge import LANGS, Entry, KnowledgeBase

THRESHOLD = 0.32
HUMAN = "human"  # the reason when the person asks for a person
LOW_CONFIDENCE = "low_confidence"
CHAR_WEIGHT = 0.7  # character n-grams carry typos and inflections; words carry the rarer terms
CLOSEST_WEIGHT = 0.7
MAX_TEXT_CHARS = 600

# Said on their own or inside a question, these ask for a person (accents and case are ignored).
HUMAN_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\b(agent|agents|human|humain|humaine|operator|operateur|operatrice|conseiller|conseillere)\b",
        r"\b(real|actual|live) (person|people|human|agent)\b",
        r"\b(talk|speak|chat) (to|with) (a|an|someone|somebody|some one|person|people|your team|staff)\b",
        r"\bparler (a|avec) (quelqu ?un|une personne|un humain|quelqu un|un conseiller|un vrai)\b",
        r"\b(representative|customer service|service client)\b",
        r"\b(en relation avec|mettez moi en relation|passez moi)\b",
    )
)
_STOP_TEXT = (
    "a an the i me my you your is are am do does did can could would to of for in on at it its this that and or "
    "be please how what when where which who why will with from have has there any some get so not no should "
    "le la les l un une des de du d je j me m mon ma mes tu te t ton ta tes vous votre vos il elle on est sont "
    "suis ai a au aux et ou en y pour par sur avec ce cette ces c qu que qui quoi quel quelle quels quelles "
    "comment quand ou est-ce s svp plait pas ne n se sa son ses nous notre nos"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class Match:
    intent: str
    answer: str
    confidence: float
    lang: str


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes and punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "")[:MAX_TEXT_CHARS])
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def wants_human(text: str) -> bool:
    plain = normalize(text)
    return any(p.search(plain) for p in HUMAN_PATTERNS)


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w not in STOP_WORDS]


class _LangIndex:
    """The fitted vectorizers and example matrices of one language.

    Each entry is represented by its example questions and its answer. An entry's score mixes its closest
    example (a close paraphrase) with the mean over its examples (a question in the entry's vocabulary).
    """

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries
        docs = [normalize(q) for e in entries for q in e.questions] + [normalize(e.answer) for e in entries]
        self.owner = np.array([i for i, e in enumerate(entries) for _ in e.questions] + list(range(len(entries))))
        self.sizes = np.bincount(self.owner, minlength=len(entries))
        self.chars = _fitted(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True), docs)
        self.words = _fitted(TfidfVectorizer(analyzer=_words, sublinear_tf=True), docs)

    def best(self, plain: str) -> tuple[int, float]:
        """The entry closest to the question and its confidence (0..1)."""
        scores = CHAR_WEIGHT * _similarity(self.chars, plain, len(self.owner))
        scores += (1 - CHAR_WEIGHT) * _similarity(self.words, plain, len(self.owner))
        closest = np.zeros(len(self.entries))
        np.maximum.at(closest, self.owner, scores)
        total = np.zeros(len(self.entries))
        np.add.at(total, self.owner, scores)
        per_entry = CLOSEST_WEIGHT * closest + (1 - CLOSEST_WEIGHT) * total / self.sizes
        index = int(per_entry.argmax())
        return index, float(per_entry[index])


Fitted = tuple[TfidfVectorizer, Any] | None


def _fitted(vectorizer: TfidfVectorizer, docs: list[str]) -> Fitted:
    """The vectorizer and its document matrix; None when the documents hold no term (only stop words or
    punctuation): that part of the score is then 0 instead of failing every question."""
    try:
        return vectorizer, vectorizer.fit_transform(docs)
    except ValueError:
        return None


def _similarity(fitted: Fitted, plain: str, size: int) -> np.ndarray:
    if fitted is None:
        return np.zeros(size)
    vectorizer, matrix = fitted
    return (matrix @ vectorizer.transform([plain]).T).toarray().ravel()


_cache: dict[tuple[str, int], dict[str, _LangIndex]] = {}
_cache_lock = threading.Lock()
MAX_CACHED = 8  # fitted knowledge bases kept (one per database, plus any passed in directly)


def _indexes(kb: KnowledgeBase, scope: str) -> dict[str, _LangIndex]:
    key = (scope, kb.revision)
    with _cache_lock:
        built = _cache.get(key)
        if built is None:
            built = {lang: _LangIndex(kb.for_lang(lang)) for lang in LANGS if kb.for_lang(lang)}
            stale = [k for k in _cache if k[0] == scope] + list(_cache)[: max(0, len(_cache) - MAX_CACHED + 1)]
            for old in stale:
                _cache.pop(old, None)
            _cache[key] = built
    return built


def _knowledge(ctx_or_kb: Any) -> tuple[KnowledgeBase, str]:
    if isinstance(ctx_or_kb, KnowledgeBase):
        return ctx_or_kb, f"kb:{hash(ctx_or_kb.entries)}"  # by content: equal snapshots share one index
    from app.conversations import knowledge_store  # storage only when a context is given

    return knowledge_store.snapshot(ctx_or_kb), ctx_or_kb.settings.database_url


def match(ctx_or_kb: Any, text: str, lang: str | None = None) -> Match | None:
    """The answer for ``text`` in ``lang`` (either language when None or unknown), or None to hand over."""
    if wants_human(text):
        return None
    kb, scope = _knowledge(ctx_or_kb)
    plain = normalize(text)
    if not plain:
        return None
    indexes = _indexes(kb, scope)
    langs = [lang] if lang in indexes else list(indexes)
    best: Match | None = None
    for code in langs:
        index, confidence = indexes[code].best(plain)
        entry = indexes[code].entries[index]
        if best is None or confidence > best.confidence:
            best = Match(intent=entry.intent, answer=entry.answer, confidence=round(confidence, 3), lang=code)
    return best if best is not None and best.confidence >= THRESHOLD else None


def respond(ctx: Any, *, conversation: dict[str, Any], message_id: int, text: str, match: Match | None) -> bool:
    """The bot's turn after an inbound message (called by the inbound side): True when it answered, False when
    it handed the conversation over to a person."""
    from app.conversations import faq_bot  # storage and sending only when a conversation is answered

    return faq_bot.respond(ctx, conversation=conversation, message_id=message_id, text=text, match=match)
