"""Multi-way branch: the first matching case wins, otherwise ``else``."""

import re
from typing import Any

from pydantic import Field, field_validator

from journeys.branching import evaluate, missing_predictions
from journeys.conditions import Condition
from journeys.nodes.base import NodeSpec, Phrase, Port, Problem, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State

PORT_NAME = re.compile(r"^[a-z0-9_-]{1,40}$")


class Case(StrictConfig):
    port: str = Field(description="Port id, lowercase letters, digits, - and _")
    label: str = ""
    condition: Condition

    @field_validator("port")
    @classmethod
    def _port_name(cls, value: str) -> str:
        if not PORT_NAME.match(value) or value == "else":
            raise ValueError("port must be 1-40 of a-z 0-9 - _ and not 'else'")
        return value


class Config(StrictConfig):
    cases: list[Case] = Field(min_length=1)


def ports(config: Config) -> list[Port]:
    return [Port(c.port, c.label or c.port) for c in config.cases] + [Port("else", "Everyone else")]


def reused_ports(names: list[str], what: str) -> list[Problem]:
    """One problem per port name given to more than one ``what`` (case, rule...)."""
    dupes = sorted({n for n in names if names.count(n) > 1})
    return [
        Problem("invalid_config", f"{what} port {n!r} is used by more than one {what}", "case_port_reused", {"port": n})
        for n in dupes
    ]


def problems(config: Config) -> list[Problem]:
    return reused_ports([c.port for c in config.cases], "case")


def step(config: Any, state: State, env: Env) -> Decision:
    event = state.context.get("event", {})
    reason = ""
    for case in config.cases:
        reason = reason or missing_predictions(case.condition, env.contact)
        if evaluate(case.condition, env.contact, event, env.now, segments=env.segments, events=env.events):
            return Decision.go(case.port, outcome="fallback" if reason else "passed", reason=reason)
    return Decision.go("else", outcome="fallback" if reason else "passed", reason=reason)


FORM = (FormField("note", label="note.help"), FormField("cases", "cases"))

TEXTS = {
    "en": {
        "note.help": "Each contact takes the first path whose conditions match; the rest go to Everyone else.",
        "phrase.branch_multi.one": "{count} path + everyone else",
        "phrase.branch_multi.other": "{count} paths + everyone else",
        "fix.cases": "Add at least one path with its conditions",
        "port.else": "Everyone else",
    },
    "fr": {
        "label": "Aiguillage multiple",
        "description": "Plusieurs chemins ; chaque contact prend le premier qui correspond.",
        "note.help": (
            "Chaque contact prend le premier chemin dont les conditions correspondent ; "
            "les autres vont vers Tous les autres."
        ),
        "phrase.branch_multi.one": "{count} chemin + tous les autres",
        "phrase.branch_multi.other": "{count} chemins + tous les autres",
        "fix.cases": "Ajoutez au moins un chemin avec ses conditions",
        "port.else": "Tous les autres",
    },
}


SPEC = NodeSpec(
    type="branch.multi",
    rank=2,
    label="Multi-way branch",
    category="flow",
    icon="alt_route",
    description="Several paths; each contact takes the first that matches.",
    config_model=Config,
    ports=ports,
    problems=problems,
    summary=lambda c: f"{len(c.cases)} paths + everyone else",
    phrase=lambda c: Phrase("branch_multi", {"count": len(c.cases)}),
    step=step,
    form=FORM,
    texts=TEXTS,
)
