"""Goal: records that the contact reached a milestone, then continues."""

from pydantic import Field

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    goal: str = Field(min_length=1, max_length=200, description="Name of the milestone, e.g. converted")


SPEC = NodeSpec(
    type="goal",
    label="Goal",
    category="action",
    icon="flag",
    description="Count contacts who reach this point as converted.",
    config_model=Config,
    summary=lambda c: f"Goal: {c.goal}",
    phrase=lambda c: Phrase("goal", {"goal": c.goal}),
    example={"goal": "converted"},
)
