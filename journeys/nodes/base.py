"""What every node type declares. Each node type lives in its own small module and exports ``SPEC``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State

Category = Literal["entry", "wait", "flow", "message", "action", "end"]
CATEGORIES: tuple[Category, ...] = ("entry", "wait", "flow", "message", "action", "end")  # palette order

# What the runner calls for a node: its parsed config, the enrollment and its environment -> a Decision.
Step = Callable[[Any, State, Env], Decision]
# Texts per language code, by node-local key ("label", "description", "field.event", "phrase.goal", ...).
Texts = Mapping[str, Mapping[str, str]]


class StrictConfig(BaseModel):
    """Base for node configs: unknown keys are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Port:
    name: str
    label: str


@dataclass(frozen=True)
class Phrase:
    """A sentence as a code and its values, so the app can say it in the reader's language.

    Values are text, numbers, durations or other phrases; a value named ``count`` picks the plural form.
    """

    code: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A config problem that plain schema validation cannot see, with its violation code.

    ``detail`` and ``values`` say it in words the app translates; ``message`` is the English for logs and the API.
    """

    code: str
    message: str
    detail: str = ""
    values: dict[str, object] = field(default_factory=dict)


NEXT = [Port("next", "Next")]


def _no_templates(_config: BaseModel) -> dict[str, str]:
    return {}


def _no_problems(_config: BaseModel) -> list[Problem]:
    return []


def _next_port(_config: BaseModel) -> list[Port]:
    return list(NEXT)


def pass_through(_config: Any, _state: State, _env: Env) -> Decision:
    """The step of a node that only leads on (an entry): take ``next``."""
    return Decision.go("next")


@dataclass(frozen=True)
class NodeSpec:
    type: str
    label: str
    category: Category
    icon: str
    description: str
    config_model: type[BaseModel]
    summary: Callable[[BaseModel], str]
    ports: Callable[[BaseModel], list[Port]] = _next_port
    templates: Callable[[BaseModel], dict[str, str]] = _no_templates
    problems: Callable[[BaseModel], list[Problem]] = _no_problems
    phrase: Callable[[BaseModel], Phrase] | None = None  # the summary as a translatable phrase
    example: dict = field(default_factory=dict)
    step: Step = pass_through  # what the runner does when a contact reaches the node
    form: tuple[FormField, ...] = ()  # the side panel's fields, in order
    texts: Texts = field(default_factory=dict)  # {"fr": {...}, "en": {...}}; see journeys.nodes.texts
    rank: int = 100  # position in the palette within its category

    @property
    def is_entry(self) -> bool:
        return self.category == "entry"

    @property
    def is_exit(self) -> bool:
        return self.category == "end"


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
