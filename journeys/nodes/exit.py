"""Exit: the contact leaves the journey."""

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    pass


SPEC = NodeSpec(
    type="exit",
    label="Exit",
    category="end",
    icon="logout",
    description="The contact leaves the journey here.",
    config_model=Config,
    summary=lambda _c: "Leave the journey",
    phrase=lambda _c: Phrase("exit"),
    ports=lambda _c: [],
)
