"""One translation table for every visible string. English and French are complete.

Each area keeps its strings in its own module under ``app/translations/`` exporting ``EN`` and ``FR`` dicts
with the same keys; a test checks that no key is missing in either language.
"""

from __future__ import annotations

import importlib
import pkgutil
from contextvars import ContextVar
from functools import cache

LANGUAGES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

# The language of the page being built; set by the page frame from the user's choice or the browser.
language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


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
    return merged


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in."""
    table = tables().get(lang or language.get()) or tables()[DEFAULT_LANGUAGE]
    text = table.get(key) or tables()[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**values) if values else text


def pick_language(stored: str | None, accept_language: str | None) -> str:
    """The user's stored choice, else the first supported browser language, else English."""
    if stored in LANGUAGES:
        return stored
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
