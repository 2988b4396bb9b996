"""Weighted random split (A/B/n) with an optional control variant that receives no messages."""

import re

from pydantic import Field, field_validator

from journeys.nodes.base import NodeSpec, Phrase, Port, Problem, StrictConfig

PORT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


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
    return found


def summary(config: Config) -> str:
    return " / ".join(f"{v.name or v.port} {v.weight}%" for v in config.variants)


SPEC = NodeSpec(
    type="split",
    label="A/B split",
    category="flow",
    icon="science",
    description="Randomly divide contacts by percentage, with an optional control group.",
    config_model=Config,
    ports=ports,
    problems=problems,
    summary=summary,
    phrase=lambda c: Phrase("split", {"paths": summary(c)}),
    example={"variants": [{"port": "A", "weight": 50}, {"port": "B", "weight": 50}]},
)
