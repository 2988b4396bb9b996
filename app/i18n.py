"""One translation table for every visible string, read from JSON catalogs. English and French are complete.

Catalogs are data: ``app/translations/<language>/<area>.json``, one flat object per file mapping a literal key
(``area.thing``) to its text with ``{name}`` placeholders. A text with plural forms is an object
``{"one": ..., "other": ...}`` picked by :func:`tn` with each language's rule (French treats 0 and 1 as singular,
English only 1). Every language has the same keys, placeholders and plural entries (tests/test_i18n.py), and
every key the code passes to ``t``/``tn`` is a literal that a test lists (tests/test_translation_keys.py).
Python catalogs (``app/translations/<area>.py``, the old form) are refused with a message saying to convert them.

Node types carry their own texts (``journeys/nodes``, see ``journeys.nodes.texts``; plural forms there are
``<key>.one`` and ``<key>.other``): they are merged in, and a key not found in the catalogs is looked up among
the node types registered now (a test registers one after the first lookup).

The language in effect is the ``language`` context variable when something set it (the page frame does while it
builds a page), else the language of the browser tab being served, found by the resolver that the page chrome
registers: so NiceGUI event handlers, which run outside the page build, speak the user's language without
restoring it by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from components import text
from journeys import nodes

LANGUAGES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

# The language of the page being built; set by the page frame from the user's choice or the browser.
language: ContextVar[str | None] = ContextVar("language", default=None)
_resolver: list[Callable[[], str | None]] = []


def resolve_with(resolver: Callable[[], str | None]) -> None:
    """Register how to find the language of the tab being served when nothing set ``language``."""
    _resolver[:] = [resolver]


def current_language() -> str:
    code = language.get()
    if code is None and _resolver:
        code = _resolver[0]()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


CATALOGS = Path(__file__).with_name("translations")
PLURAL_FORMS = frozenset({"one", "other"})
Entry = str | dict[str, str]  # a text, or its plural forms {"one": ..., "other": ...}


@cache
def tables() -> dict[str, dict[str, Entry]]:
    """Every language's merged catalog and node texts; refuses Python catalogs, a key defined twice and a malformed
    entry."""
    merged = load_catalogs(CATALOGS)
    for code in LANGUAGES:
        node_texts = _node_texts(code)
        clash = set(node_texts) & set(merged[code])
        if clash:
            raise ValueError(f"node texts also defined in app/translations: {sorted(clash)}")
        merged[code].update(node_texts)
    return merged


def _node_texts(code: str) -> dict[str, Entry]:
    """The node types' texts in the catalogs' shape: ``<key>.one``/``<key>.other`` become one plural entry."""
    flat = nodes.texts(code)
    out: dict[str, Entry] = {}
    for key, words in flat.items():
        stem, _, form = key.rpartition(".")
        if form in PLURAL_FORMS and f"{stem}.one" in flat and f"{stem}.other" in flat:
            plural = out.setdefault(stem, {})
            assert isinstance(plural, dict)
            plural[form] = words
        else:
            out[key] = words
    return out


def load_catalogs(folder: Path) -> dict[str, dict[str, Entry]]:
    leftovers = sorted(path.name for path in folder.glob("*.py"))
    if leftovers:
        raise ValueError(
            f"translation catalogs are JSON files now: convert {', '.join(leftovers)} in {folder} to "
            '<language>/<area>.json (one object per language; plural forms as {"one": ..., "other": ...})'
        )
    return {code: _merged(sorted((folder / code).glob("*.json"))) for code in LANGUAGES}


def _merged(paths: list[Path]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for path in paths:
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"{path}: translation key {key!r} is defined twice")
            plural = isinstance(entry, dict) and set(entry) == PLURAL_FORMS
            if not (isinstance(entry, str) or plural and all(isinstance(v, str) for v in entry.values())):
                raise ValueError(f'{path}: {key!r} must be a text or an object with exactly "one" and "other"')
            merged[key] = entry
    return merged


def _entry(key: str, lang: str) -> Entry | None:
    code = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    found = tables()[code].get(key) or _node_texts(code).get(key)  # a node type registered after the first call
    return found or tables()[DEFAULT_LANGUAGE].get(key) or _node_texts(DEFAULT_LANGUAGE).get(key)


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in (the key if unknown)."""
    entry = _entry(key, lang or current_language())
    text = entry if isinstance(entry, str) and entry else key
    return text.format(**values) if values else text


def plural_form(count: int, lang: str) -> str:
    """``one`` or ``other``: French uses the singular for 0 and 1, English for 1 only."""
    if lang == "fr":
        return "one" if abs(count) < 2 else "other"
    return "one" if abs(count) == 1 else "other"


def tn(key: str, count: int, /, lang: str | None = None, **values: object) -> str:
    """The plural form of ``key`` for ``count`` in the current language, with ``{count}`` and other values filled.

    ``count`` picks the form; a ``count=`` value (a formatted number such as ``1 000``) replaces it in the text.
    """
    code = lang or current_language()
    entry = _entry(key, code)
    text = entry[plural_form(count, code)] if isinstance(entry, dict) else key
    return text.format(**({"count": count} | values))


def pick_language(stored: str | None, accept_language: str | None) -> str:
    """The user's stored choice, else the first supported browser language, else English."""
    if stored in LANGUAGES:
        return stored
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


text.use(t)  # components translate through this module without importing app (see components/text.py)
