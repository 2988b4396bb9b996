"""Weighted random split (A/B/n) with an optional control variant that receives no messages."""

import hashlib
import re
from typing import Any

from pydantic import Field, field_validator

from journeys.nodes.base import NodeSpec, Phrase, Port, Problem, StrictConfig
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State

PORT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
BUCKETS = 10_000


class Variant(StrictConfig):
    port: str = Field(description="Port id, e.g. A, B or control")
    name: str = ""
    weight: int = Field(ge=0, le=100, description="Percent of contacts")
    control: bool = Field(default=False, description="A holdout: contacts on this path get no messages")

    @field_validator("port")
    @classmethod
    def _port_name(cls, value: str) -> str:
        if not PORT_NAME.match(value):
            raise ValueError("port must be 1-40 of A-Z a-z 0-9 - _")
        return value


class Experiment(StrictConfig):
    metric: str = Field(default="conversion", pattern="^(conversion|click)$")
    min_sample: int = Field(default=1000, ge=10)
    window_days: int = Field(default=14, ge=1, le=365)
    send_rest_to_winner: bool = False


class Config(StrictConfig):
    variants: list[Variant] = Field(min_length=2)
    experiment: Experiment | None = None
    optimise: bool = Field(default=False, description="Shift contacts to the variant that converts best")
    min_share: int = Field(default=10, ge=0, le=50, description="Percent every variant keeps when optimising")
    refresh_hours: int = Field(default=1, ge=1, le=168, description="Hours between two allocations")


def ports(config: Config) -> list[Port]:
    return [Port(v.port, v.name or v.port) for v in config.variants]


def problems(config: Config) -> list[Problem]:
    found: list[Problem] = []
    total = sum(v.weight for v in config.variants)
    if total != 100:
        found.append(
            Problem(
                "split_weights",
                f"variant weights add up to {total}, they must add up to 100",
                "split_total",
                {"total": total},
            )
        )
    names = [v.port for v in config.variants]
    for name in sorted({n for n in names if names.count(n) > 1}):
        found.append(
            Problem("invalid_config", f"variant port {name!r} is used twice", "variant_port_reused", {"port": name})
        )
    if sum(v.control for v in config.variants) > 1:
        found.append(Problem("invalid_config", "only one variant can be the control", "one_control"))
    if config.optimise and config.min_share * len(config.variants) > 100:
        message = f"min_share: {config.min_share}% for each of {len(config.variants)} variants is over 100%"
        found.append(Problem("invalid_config", message, "field_invalid", {"node_type": "split", "field": "min_share"}))
    return found


def summary(config: Config) -> str:
    if config.optimise:
        return " / ".join(v.name or v.port for v in config.variants)
    return " / ".join(f"{v.name or v.port} {v.weight}%" for v in config.variants)


def bucket(contact_id: int, journey_id: int, node_id: str) -> int:
    digest = hashlib.blake2b(f"{journey_id}:{node_id}:{contact_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % BUCKETS


def assign(config: Any, contact_id: int, journey_id: int, node_id: str) -> Any:
    """The variant for this contact, deterministic per contact, journey and node: a retry never flips it."""
    point = bucket(contact_id, journey_id, node_id)
    upper = 0
    for variant in config.variants:
        upper += variant.weight * BUCKETS // 100
        if point < upper:
            return variant
    return config.variants[-1]


def step(config: Any, state: State, _env: Env) -> Decision:
    variant = assign(config, state.contact_id, state.journey_id, state.node_id)
    updates: dict[str, Any] = {"variant": variant.port}
    if variant.control:
        updates["control"] = state.context.get("control") or True  # a holdout stays one (its own skip reason)
    return Decision.go(variant.port, outcome="assigned", reason=variant.port, context_updates=updates)


FORM = (
    FormField("note", label="note.help"),
    FormField("variants", "variants"),
    FormField("toggle", "optimise", label="field.optimise"),
    FormField("number", "min_share", label="field.min_share", minimum=0, maximum=50),
    FormField("number", "refresh_hours", label="field.refresh_hours", minimum=1, maximum=168),
    FormField("note", label="note.optimise", small=True),
)

TEXTS = {
    "en": {
        "note.help": "Percentages of contacts per path. They must add up to 100.",
        "phrase.split": "{paths}",
        "fix.variants": "Add at least two paths with their percentages",
        "field.optimise": "Optimise automatically",
        "field.min_share": "Minimum share per path (%)",
        "field.refresh_hours": "Recompute the shares every (hours)",
        "note.optimise": "When optimising, the shares follow the goal conversions of each path (Thompson sampling); "
        "until the first conversion every path gets the same share.",
        "fix.optimise": "Set a goal for the journey: an optimised split follows its conversions",
        "fix.min_share": "Lower the minimum share: times the number of paths it must not exceed 100%",
        "fix.refresh_hours": "Recompute the shares every 1 to 168 hours",
    },
    "fr": {
        "label": "Test A/B",
        "description": "Répartir les contacts au hasard par pourcentage, avec un groupe témoin facultatif.",
        "note.help": "Pourcentage de contacts par chemin. Le total doit faire 100.",
        "phrase.split": "{paths}",
        "fix.variants": "Ajoutez au moins deux chemins avec leurs pourcentages",
        "field.optimise": "Optimiser automatiquement",
        "field.min_share": "Part minimale par chemin (%)",
        "field.refresh_hours": "Recalculer les parts toutes les (heures)",
        "note.optimise": "En mode optimisé, les parts suivent les conversions à l'objectif de chaque chemin "
        "(échantillonnage de Thompson) ; avant la première conversion, chaque chemin reçoit la même part.",
        "fix.optimise": "Définissez un objectif pour le parcours : un test A/B optimisé suit ses conversions",
        "fix.min_share": "Baissez la part minimale : multipliée par le nombre de chemins, elle doit rester sous 100 %",
        "fix.refresh_hours": "Recalculez les parts toutes les 1 à 168 heures",
    },
}


SPEC = NodeSpec(
    type="split",
    rank=3,
    label="A/B split",
    category="flow",
    icon="science",
    description="Randomly divide contacts by percentage, with an optional control group.",
    config_model=Config,
    ports=ports,
    problems=problems,
    summary=summary,
    phrase=lambda c: Phrase("split", {"paths": summary(c)}),
    step=step,
    example={"variants": [{"port": "A", "weight": 50}, {"port": "B", "weight": 50}]},
    form=FORM,
    texts=TEXTS,
)
