"""Entry when the contact newly joins a saved segment."""

from pydantic import Field

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    segment: str = Field(min_length=1, description="Saved segment name")


def summary(config: Config) -> str:
    return f"When someone joins {config.segment}"


SPEC = NodeSpec(
    type="entry.segment",
    rank=2,
    label="Segment entry",
    category="entry",
    icon="group_add",
    description="Contacts enter when they start matching a segment.",
    config_model=Config,
    summary=summary,
    phrase=lambda c: Phrase("entry_segment", {"segment": c.segment}),
    example={"segment": "New users"},
)
