"""Entry when the contact newly joins a saved segment."""

from pydantic import Field

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField


class Config(StrictConfig):
    segment: str = Field(min_length=1, description="Saved segment name")


def summary(config: Config) -> str:
    return f"When someone joins {config.segment}"


FORM = (FormField("pick", "segment", "field.segment", source="segments"),)

TEXTS = {
    "en": {
        "field.segment": "Segment",
        "phrase.entry_segment": "When someone joins {segment}",
        "fix.segment": "Choose the segment whose new members enter",
    },
    "fr": {
        "label": "Entrée par segment",
        "description": "Les contacts entrent lorsqu'ils commencent à correspondre à un segment.",
        "field.segment": "Segment",
        "phrase.entry_segment": "Quand quelqu'un rejoint {segment}",
        "fix.segment": "Choisissez le segment dont les nouveaux membres entrent",
    },
}


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
    form=FORM,
    texts=TEXTS,
)
