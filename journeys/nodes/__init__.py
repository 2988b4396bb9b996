"""The registry of node types: every module of this package that exports ``SPEC`` is one node type.

How to add a node type
----------------------
Write one module here, say ``journeys/nodes/stamp.py``, that defines ``SPEC = NodeSpec(...)`` with:

- ``type``, ``category``, ``icon``, ``rank`` (its place in the palette within the category) and an English
  ``label`` and ``description``;
- ``config_model``: a :class:`~journeys.nodes.base.StrictConfig` (validation reads it, and the JSON Schema);
- ``ports`` (default: one ``next``), ``problems`` (checks a schema cannot express), ``templates`` (Liquid
  fields the validator compiles);
- ``step``: the function the runner calls, ``(config, state, env) -> Decision`` (see ``journeys.steps.types``;
  shared helpers such as the message sender live in ``journeys/steps``); the default just takes ``next``;
- ``summary`` (English) and ``phrase`` (the summary as a :class:`~journeys.nodes.base.Phrase` code);
- ``form``: the side panel as a tuple of :class:`~journeys.nodes.form.FormField` (data, no UI code);
- ``texts``: ``{"en": {...}, "fr": {...}}`` of node-local keys: ``label`` and ``description`` (French;
  English comes from the spec), ``field.<key>``, ``option.<value>`` and ``note.<name>`` for the form,
  ``phrase.<code>`` (or ``phrase.<code>.one`` / ``.other`` for a count) for each phrase code, ``fix.<key>``
  for what to do when a setting is missing or wrong, ``port.<name>`` for port labels.

Nothing else needs an edit: the package is scanned on import, and the engine, the validator, the palette, the
side panel and the translation lookup all read :data:`REGISTRY`. Tests may add a type defined elsewhere with
:func:`register` and take it away with :func:`unregister`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator

from journeys.nodes.base import CATEGORIES, NodeSpec, Port, Problem

REGISTRY: dict[str, NodeSpec] = {}
_generation = [0]  # bumped on each change, so cached text indexes know they are stale
_cache: dict[str, dict[str, str]] = {}  # text indexes built from the registry at generation _cache_of[0]
_cache_of = [-1]


def _order(spec: NodeSpec) -> tuple[int, int, str]:
    return CATEGORIES.index(spec.category), spec.rank, spec.type


def register(spec: NodeSpec) -> NodeSpec:
    """Add a node type (refused if another spec already has its type); the registry stays in palette order."""
    current = REGISTRY.get(spec.type)
    if current is not None and current is not spec:
        raise ValueError(f"node type {spec.type!r} is registered twice")
    said = {code for other in REGISTRY.values() if other is not current for code in _phrase_codes(other)}
    if said & _phrase_codes(spec):
        raise ValueError(
            f"node type {spec.type!r} says phrases another type says: {sorted(said & _phrase_codes(spec))}"
        )
    specs = sorted([*(s for s in REGISTRY.values() if s is not current), spec], key=_order)
    REGISTRY.clear()
    REGISTRY.update((s.type, s) for s in specs)
    _generation[0] += 1
    return spec


def unregister(node_type: str) -> None:
    REGISTRY.pop(node_type, None)
    _generation[0] += 1


def discover() -> None:
    """Register the ``SPEC`` of every module of this package (helpers without one are skipped)."""
    for info in pkgutil.iter_modules(__path__):
        spec = getattr(importlib.import_module(f"{__name__}.{info.name}"), "SPEC", None)
        if isinstance(spec, NodeSpec):
            register(spec)


def spec_for(node_type: str) -> NodeSpec | None:
    return REGISTRY.get(node_type)


def text_key(node_type: str, local: str) -> str:
    """The translation key of a node-local text key."""
    if local == "label":
        return f"builder.node.{node_type}"
    if local == "description":
        return f"builder.node_help.{node_type}"
    return f"node.{node_type}.{local}"


def _local_texts(spec: NodeSpec, lang: str) -> Iterator[tuple[str, str]]:
    if lang == "en":
        yield "label", spec.label
        yield "description", spec.description
    yield from spec.texts.get(lang, {}).items()


def texts(lang: str) -> dict[str, str]:
    """Every node type's texts in one language, by translation key."""
    return _cached(
        f"texts.{lang}", lambda: {text_key(s.type, k): v for s in REGISTRY.values() for k, v in _local_texts(s, lang)}
    )


def _phrase_codes(spec: NodeSpec) -> set[str]:
    """The phrase codes whose words this node type gives (``phrase.<code>`` or its ``.one``/``.other`` forms)."""
    locals_ = [k.removeprefix("phrase.") for k in spec.texts.get("en", {}) if k.startswith("phrase.")]
    return {k.removesuffix(".one").removesuffix(".other") for k in locals_}


def _phrase_keys() -> dict[str, str]:
    return {code: text_key(s.type, f"phrase.{code}") for s in REGISTRY.values() for code in _phrase_codes(s)}


def phrase_key(code: str) -> str | None:
    """The translation key (without ``.one``/``.other``) of a phrase code some node type says."""
    return _cached("phrases", _phrase_keys).get(code)


def _cached(name: str, build: Callable[[], dict[str, str]]) -> dict[str, str]:
    if _cache_of[0] != _generation[0]:
        _cache.clear()
        _cache_of[0] = _generation[0]
    if name not in _cache:
        _cache[name] = build()
    return _cache[name]


discover()

__all__ = [
    "REGISTRY",
    "NodeSpec",
    "Port",
    "Problem",
    "discover",
    "phrase_key",
    "register",
    "spec_for",
    "text_key",
    "texts",
    "unregister",
]
