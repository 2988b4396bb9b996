"""Liquid personalisation, sandboxed and bounded.

There is no template loader, so ``include``/``render`` cannot read files, and every resource limit of
python-liquid is set so a hostile template cannot loop forever or exhaust memory.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from liquid import BoundTemplate, DictLoader, Environment
from liquid.exceptions import LiquidError


class SandboxedEnvironment(Environment):
    context_depth_limit = 20
    loop_iteration_limit = 10_000
    local_namespace_limit = 100_000
    output_stream_limit = 200_000
    block_nesting_limit = 30


ENV = SandboxedEnvironment(loader=DictLoader({}), strict_filters=False)


class TemplateError(ValueError):
    """A template that cannot be parsed or rendered, with a one-line reason."""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def syntax_error(source: str) -> str | None:
    """The reason a template fails to parse, or None when it parses."""
    try:
        _compile(source)
    except TemplateError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=4096)
def _compile(source: str) -> BoundTemplate:
    try:
        return ENV.parse(source)
    except LiquidError as exc:
        raise TemplateError(_first_line(exc)) from exc


def render(source: str, context: dict[str, Any]) -> str:
    """Render a template; raises TemplateError on any failure, never something else."""
    try:
        return _compile(source).render(**context)
    except TemplateError:
        raise
    except LiquidError as exc:
        raise TemplateError(_first_line(exc)) from exc
    except (RecursionError, MemoryError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise TemplateError(f"template failed: {type(exc).__name__}") from exc
