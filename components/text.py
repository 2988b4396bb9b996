"""The translate function of components, given to them by the application: components never import ``app``.

``app/i18n.py`` hands its ``t`` over with :func:`use` when it is imported, which every page does before it
draws a component. Until then (a component used on its own), a key is shown as itself.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[..., str]


def _untranslated(key: str, lang: str | None = None, **values: object) -> str:
    return key


_translate: Translate = _untranslated


def use(translate: Translate) -> None:
    """Make ``translate(key, **values)`` the function every component's ``t`` calls."""
    global _translate
    _translate = translate


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in."""
    return _translate(key, **values)
