"""One translation table for every visible string. English and French are complete.

Each area keeps its strings in its own module under ``app/translations/`` exporting ``EN`` and ``FR`` dicts
with the same keys; a test checks that no key is missing in either language.

Node types carry their own texts (``journeys/nodes``, see ``journeys.nodes.texts``): they are merged in, and
a key not found in the tables is looked up among the node types registered now.

Plural forms are two literal keys, ``<key>.one`` and ``<key>.other``, picked by :func:`tn` with each
language's rule (French treats 0 and 1 as singular, English only 1).

The language in effect is the ``language`` context variable when something set it (the page frame does while it
builds a page), else the language of the browser tab being served, found by the resolver that the page chrome
registers: so NiceGUI event handlers, which run outside the page build, speak the user's language without
restoring it by hand.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache

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


@cache
def tables() -> dict[str, dict[str, str]]:
    import app.translations as package

    merged: dict[str, dict[str, str]] = {code: {} for code in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for code in LANGUAGES:
            table = getattr(module, code.upper())
            clash = set(table) & set(merged[code])
            if clash:
                raise ValueError(f"translation keys defined twice: {sorted(clash)}")
            merged[code].update(table)
    for code in LANGUAGES:
        table = nodes.texts(code)
        clash = set(table) & set(merged[code])
        if clash:
            raise ValueError(f"node texts also defined in app/translations: {sorted(clash)}")
        merged[code].update(table)
    return merged


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in."""
    code = lang or current_language()
    code = code if code in LANGUAGES else DEFAULT_LANGUAGE
    text = tables()[code].get(key) or nodes.texts(code).get(key)  # a node type registered after the first call
    text = text or tables()[DEFAULT_LANGUAGE].get(key) or nodes.texts(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def plural_form(count: int, lang: str) -> str:
    """``one`` or ``other``: French uses the singular for 0 and 1, English for 1 only."""
    if lang == "fr":
        return "one" if abs(count) < 2 else "other"
    return "one" if abs(count) == 1 else "other"


def tn(key: str, count: int, lang: str | None = None, **values: object) -> str:
    """The plural-aware text for ``key`` (``key.one`` / ``key.other``) with ``{count}`` and other values filled."""
    code = lang or current_language()
    return t(f"{key}.{plural_form(count, code)}", code, count=count, **values)


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
