"""A fast path for the commonest Liquid: ``{{ a.b }}`` and ``{{ a.b | default: 'text' }}``.

Big batches render the same short templates hundreds of thousands of times; python-liquid spends ~20 µs per
render on set-up. Templates made only of such outputs, with string or integer values, are rendered here
with output identical to python-liquid's; anything else goes to :func:`journeys.liquid.render`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from journeys.liquid import render

_OUTPUT = re.compile(
    r"\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*"
    r"(?:\|\s*default\s*:\s*'([^'{}]*)'\s*)?\}\}"
)
_MISSING = object()
_RESERVED = {"empty", "blank", "nil", "null", "true", "false", "and", "or", "not", "contains", "in", "with", "as"}

Part = tuple[str, tuple[str, ...] | None, str | None]


@lru_cache(maxsize=4096)
def _parts(source: str) -> tuple[Part, ...] | None:
    """Literal text and outputs, or None when the template needs the real engine."""
    parts: list[Part] = []
    position = 0
    for match in _OUTPUT.finditer(source):
        parts.append((source[position : match.start()], None, None))
        path = tuple(match.group(1).split("."))
        if _RESERVED.intersection(path):
            return None
        parts.append(("", path, match.group(2)))
        position = match.end()
    parts.append((source[position:], None, None))
    if any("{{" in text or "{%" in text or "}}" in text for text, _, _ in parts):
        return None
    return tuple(parts)


def _lookup(context: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = context
    for key in path:
        if not isinstance(value, dict):
            return _MISSING if value is not None else None
        value = value.get(key)
        if value is None:
            return None
    return value


def render_fast(source: str, context: dict[str, Any]) -> str:
    """Same output as journeys.liquid.render; raises TemplateError the same way."""
    parts = _parts(source)
    if parts is None:
        return render(source, context)
    out: list[str] = []
    for text, path, default in parts:
        if path is None:
            out.append(text)
            continue
        value = _lookup(context, path)
        if value is None or value == "":
            out.append(default if default is not None else "")
        elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            out.append(str(value))
        else:
            return render(source, context)
    return "".join(out)
