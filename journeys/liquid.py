"""Liquid personalisation, sandboxed and bounded.

There is no template loader, so ``include``/``render`` cannot read files, and every resource limit of
python-liquid is set so a hostile template cannot loop forever or exhaust memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from contextvars import ContextVar
from functools import lru_cache, wraps
from typing import Any

from liquid import BoundTemplate, DictLoader, Environment
from liquid.builtin.expressions import LoopExpression
from liquid.builtin.tags.for_tag import ForTag
from liquid.builtin.tags.tablerow_tag import TablerowTag
from liquid.exceptions import FilterArgumentError, LiquidError, LiquidValueError
from liquid.filter import with_context

from journeys.errors import InvalidError

# The most items a for/tablerow loop may be given, before ``reversed`` (which copies them into a list) or
# ``offset`` (which skips them one by one) touch them: ``(1..10000000000) reversed`` would otherwise hang.
MAX_LOOP_ITEMS = 100_000
# The largest sequence or string a filter may take or make. python-liquid's own limits are checked after a
# filter returns, so ``(1..50000000) | join`` or ``| sort`` would first build gigabytes; these checks come first.
MAX_FILTER_ITEMS = 10_000
MAX_FILTER_CHARS = 200_000
# Filter work allowed per render, in characters/items read and written. Loops of bounded filters can still
# multiply: 10,000 iterations of ``(1..10000) | join`` took 24 s before this budget existed.
WORK_BUDGET = 2_000_000

_work_left: ContextVar[list[int] | None] = ContextVar("liquid_work_left", default=None)


class SandboxedEnvironment(Environment):
    context_depth_limit = 20
    loop_iteration_limit = 10_000
    local_namespace_limit = 100_000
    output_stream_limit = 200_000
    block_nesting_limit = 30

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        for name, func in list(self.filters.items()):
            self.filters[name] = _bounded(name, func)
        self.add_tag(_BoundedForTag)
        self.add_tag(_BoundedTablerowTag)


class _BoundedLoopExpression(LoopExpression):
    __slots__ = ()

    def _to_iter(self, obj: object, context: Any) -> Any:
        if isinstance(obj, Sized) and not isinstance(obj, str) and len(obj) > MAX_LOOP_ITEMS:
            raise LiquidValueError(f"loop over more than {MAX_LOOP_ITEMS} items", token=None)
        return super()._to_iter(obj, context)


def _bound_loop(node: Any) -> Any:
    # Same memory layout (no new slots), so the parsed expression can take the bounded class.
    node.expression.__class__ = _BoundedLoopExpression
    return node


class _BoundedForTag(ForTag):
    def parse(self, stream: Any) -> Any:
        return _bound_loop(super().parse(stream))


class _BoundedTablerowTag(TablerowTag):
    def parse(self, stream: Any) -> Any:
        return _bound_loop(super().parse(stream))


def _too_big(value: object) -> bool:
    if isinstance(value, str):
        return len(value) > MAX_FILTER_CHARS
    if isinstance(value, Sized) and not isinstance(value, bytes):
        return len(value) > MAX_FILTER_ITEMS  # len() of a range is O(1): nothing is materialised
    return False


# python-liquid's uniq compares every item with every other one (it must handle unhashable items).
QUADRATIC_FILTERS = frozenset({"uniq"})


def _size(value: object) -> int:
    return len(value) if isinstance(value, str | Sized) else 1


def _charge(name: str, units: int) -> None:
    left = _work_left.get()
    if left is None:
        return
    left[0] -= units
    if left[0] < 0:
        raise FilterArgumentError(f"{name}: the template does too much work", token=None)


def _replace_grows_too_much(value: object, args: tuple[Any, ...]) -> bool:
    if not (isinstance(value, str) and len(args) >= 1):
        return False
    old, new = str(args[0]), str(args[1]) if len(args) > 1 else ""
    occurrences = len(value) + 1 if old == "" else value.count(old)
    return len(value) + occurrences * max(0, len(new) - len(old)) > MAX_FILTER_CHARS


def _bounded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def guarded(value: object, *args: Any, **kwargs: Any) -> Any:
        if _too_big(value) or any(_too_big(arg) for arg in args):
            raise FilterArgumentError(f"{name}: input too large for a message template", token=None)
        if name.startswith("replace") and _replace_grows_too_much(value, args):
            raise FilterArgumentError(f"{name}: result too large for a message template", token=None)
        size = _size(value)
        _charge(name, 1 + (size * size if name in QUADRATIC_FILTERS else size) + sum(_size(a) for a in args))
        result = func(value, *args, **kwargs)
        _charge(name, _size(result))
        if _too_big(result) and not isinstance(result, range):
            raise FilterArgumentError(f"{name}: result too large for a message template", token=None)
        return result

    return guarded


MAX_RECOMMENDED = 10


@with_context
def recommended(_value: object, count: object = 3, *, context: Any) -> list[Any]:
    """``contact | recommended: 3``: the first products of the contact's ``recommendations`` (empty if none)."""
    listed = context.resolve("recommendations", default=[])
    if not isinstance(listed, list):
        return []
    try:
        wanted = int(count)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise FilterArgumentError("recommended: the count must be a whole number", token=None) from None
    return listed[: max(0, min(wanted, MAX_RECOMMENDED))]


ENV = SandboxedEnvironment(loader=DictLoader({}), strict_filters=False)
ENV.filters["recommended"] = recommended


class TemplateError(InvalidError):
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
    budget = _work_left.set([WORK_BUDGET])
    try:
        return _compile(source).render(**context)
    except TemplateError:
        raise
    except LiquidError as exc:
        raise TemplateError(_first_line(exc)) from exc
    except (RecursionError, MemoryError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise TemplateError(f"template failed: {type(exc).__name__}") from exc
    finally:
        _work_left.reset(budget)
