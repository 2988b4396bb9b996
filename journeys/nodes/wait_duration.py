"""Wait a fixed duration."""

from pydantic import Field

from journeys.durations import Duration
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    duration: Duration = Field(default_factory=lambda: Duration(amount=1, unit="hours"))


SPEC = NodeSpec(
    type="wait.duration",
    label="Wait",
    category="wait",
    icon="hourglass_empty",
    description="Pause for a set time.",
    config_model=Config,
    summary=lambda c: f"Wait {c.duration.describe()}",
    phrase=lambda c: Phrase("wait_duration", {"duration": c.duration}),
    example={"duration": {"amount": 1, "unit": "hours"}},
)
