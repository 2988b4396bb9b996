"""Entry when the contact performs an event, optionally filtered on its properties."""

from pydantic import Field

from journeys.conditions import PropertyFilter
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig
from journeys.nodes.form import FormField


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


FORM = (
    FormField("pick", "event", "field.event", source="events"),
    FormField("filters", "filters"),
)

TEXTS = {
    "en": {
        "field.event": "Event name",
        "phrase.entry_event": "When {event} happens",
        "phrase.entry_event_filtered.one": "When {event} happens ({count} filter)",
        "phrase.entry_event_filtered.other": "When {event} happens ({count} filters)",
        "fix.event": "Choose the event that starts this journey",
        "fix.filters": "Complete or remove the property filters",
    },
    "fr": {
        "label": "Déclencheur événement",
        "description": "Les contacts entrent lorsqu'ils réalisent un événement.",
        "field.event": "Nom de l'événement",
        "phrase.entry_event": "Quand {event} se produit",
        "phrase.entry_event_filtered.one": "Quand {event} se produit ({count} filtre)",
        "phrase.entry_event_filtered.other": "Quand {event} se produit ({count} filtres)",
        "fix.event": "Choisissez l'événement qui démarre ce parcours",
        "fix.filters": "Complétez ou supprimez les filtres de propriété",
    },
}


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
    form=FORM,
    texts=TEXTS,
)
