"""Entry through the API: POST /api/v1/journeys/{id}/enroll."""

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig


class Config(StrictConfig):
    pass


TEXTS = {
    "en": {
        "phrase.entry_api": "When the API enrols a contact",
    },
    "fr": {
        "label": "Déclencheur API",
        "description": "Votre serveur inscrit les contacts par un appel d'API.",
        "phrase.entry_api": "Quand l'API inscrit un contact",
    },
}


SPEC = NodeSpec(
    type="entry.api",
    rank=5,
    label="API trigger",
    category="entry",
    icon="api",
    description="Your backend enrols contacts with an API call.",
    config_model=Config,
    summary=lambda _c: "When the API enrols a contact",
    phrase=lambda _c: Phrase("entry_api"),
    texts=TEXTS,
)
