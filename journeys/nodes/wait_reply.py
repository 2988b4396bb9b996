"""Wait for a reply (SMS or in-app chat): one port per rule (keyword, number, pattern, intent), ``no_match``
and ``timeout``. The reply is kept as ``reply`` for later steps (``{{ reply.text }}``, ``{{ reply.intent }}``)."""

from typing import Literal

from pydantic import Field, field_validator, model_validator

from journeys import replies
from journeys.durations import Duration
from journeys.nodes.base import NodeSpec, Phrase, Port, Problem, StrictConfig
from journeys.nodes.branch_multi import PORT_NAME, reused_ports

RESERVED = {replies.NO_MATCH, replies.TIMEOUT}


class Rule(StrictConfig):
    port: str = Field(description="Port id, lowercase letters, digits, - and _")
    kind: Literal["keyword", "number", "regex", "intent"] = "keyword"
    keywords: list[str] = Field(default_factory=list, max_length=50)
    min: float | None = None
    max: float | None = None
    pattern: str = Field(default="", max_length=replies.MAX_PATTERN)
    intent: str = Field(default="", max_length=100)

    @field_validator("port")
    @classmethod
    def _port_name(cls, value: str) -> str:
        if not PORT_NAME.match(value) or value in RESERVED:
            raise ValueError("port must be 1-40 of a-z 0-9 - _ and not 'no_match' or 'timeout'")
        return value

    @model_validator(mode="after")
    def _complete(self) -> "Rule":
        if self.kind == "keyword" and not any(replies.fold(k) for k in self.keywords):
            raise ValueError("a keyword rule needs at least one keyword")
        if self.kind == "regex":
            problem = replies.pattern_problem(self.pattern) if self.pattern else "a pattern is required"
            if problem:
                raise ValueError(problem)
        if self.kind == "intent" and not self.intent.strip():
            raise ValueError("an intent rule needs the intent's name")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        return self


class Config(StrictConfig):
    rules: list[Rule] = Field(min_length=1, max_length=20)
    channel: Literal["any", "sms", "in_app"] = "any"
    # A reply that matches no answer hands the conversation to a person (the inbox), e.g. for an FAQ bot.
    handover_on_no_match: bool = False
    timeout: Duration = Field(default_factory=lambda: Duration(amount=1, unit="days"))


def ports(config: Config) -> list[Port]:
    own = [Port(r.port, r.port) for r in config.rules]
    return own + [Port(replies.NO_MATCH, "No match"), Port(replies.TIMEOUT, "Timed out")]


def problems(config: Config) -> list[Problem]:
    return reused_ports([r.port for r in config.rules], "rule")


def views(config: Config) -> list[replies.RuleView]:
    return [replies.RuleView(r.port, r.kind, r.keywords, r.min, r.max, r.pattern, r.intent) for r in config.rules]


SPEC = NodeSpec(
    type="wait.reply",
    label="Wait for reply",
    category="wait",
    icon="forum",
    description="Pause until the contact answers a text or chat message, and branch on the answer.",
    config_model=Config,
    ports=ports,
    problems=problems,
    summary=lambda c: f"Wait for a reply ({len(c.rules)} answers), up to {c.timeout.describe()}",
    phrase=lambda c: Phrase("wait_reply", {"count": len(c.rules), "timeout": c.timeout}),
    example={
        "rules": [
            {"port": "yes", "kind": "keyword", "keywords": ["oui", "yes"]},
            {"port": "no", "kind": "keyword", "keywords": ["non", "no"]},
        ],
        "timeout": {"amount": 1, "unit": "days"},
    },
)
