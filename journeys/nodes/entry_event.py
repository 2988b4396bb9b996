"""Entry when the contact performs an event, optionally filtered on its properties."""

from pydantic import Field

from journeys.conditions import PropertyFilter
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    event: str = Field(min_length=1, description="Event name, for example Checkout Started")
    filters: list[PropertyFilter] = Field(default_factory=list, description="Only events whose properties match")


def summary(config: Config) -> str:
    extra = f" ({len(config.filters)} filter{'s' if len(config.filters) != 1 else ''})" if config.filters else ""
    return f"When {config.event} happens{extra}"


def phrase(config: Config) -> Phrase:
    if config.filters:
        return Phrase("entry_event_filtered", {"event": config.event, "count": len(config.filters)})
    return Phrase("entry_event", {"event": config.event})


SPEC = NodeSpec(
    type="entry.event",
    rank=1,
    label="Event trigger",
    category="entry",
    icon="bolt",
    description="Contacts enter when they perform an event.",
    config_model=Config,
    summary=summary,
    phrase=phrase,
    example={"event": "Checkout Started"},
)
