"""What the French test needs: English words that must not appear on a French page, and French test data.

The detector is a list of common English words that French never uses (so "message", "contact", "segment",
"date" or "version", shared by both languages, are not in it), checked as whole words on the visible text.
Brands and proper names (Parcours, SMS, Push, Webhook, OneSignal) are not English words and pass.
"""

from __future__ import annotations

import re
from typing import Any

from app.authoring import service as svc
from app.core.context import AppContext
from app.i18n import t
from journeys import document
from journeys.nodes import REGISTRY

ENGLISH = frozenset(
    """
    the and with your you this that these those from for are not yes add save saved delete edit name step steps
    journey journeys wait send sent when how what which who new any every each after before until open close
    settings user users search show copy back next problem problems draft skipped delivered opened clicked
    entered goal create created there here nothing yet only set choose select enter click drag drop view
    loading empty none found cancel sign password language help home dashboard upload download
    of to is it or by be if has have was were will would should can could may must our their them they
    please welcome start started stop paused live archived reload refresh again more less than then also
    because about above below left right first last today yesterday week weeks day days hour hours
    ago never always failed failure success error errors warning retry key keys role roles
    account accounts people everyone else someone something time
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")
# Identifiers are data, not prose: e-mail addresses, codes such as login.success or first_name, ids like user-1,
# JSON details.
IDENTIFIER = re.compile(r"\S*\w[@_./=\\]\w\S*|\S*\w-\d\S*|\S*[{}\"]\S*")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` (lower-cased, each once, in order of appearance)."""
    found: list[str] = []
    for word in WORD.findall(IDENTIFIER.sub(" ", text)):
        lowered = word.lower().strip("'")
        if lowered in ENGLISH and lowered not in found:
            found.append(lowered)
    return found


# Step settings in French: message texts and names a French marketer would write.
FRENCH_CONFIGS: dict[str, dict[str, Any]] = {
    "entry.event": {"event": "panier_abandonne"},
    "entry.segment": {"segment": "Clients fidèles"},
    "message.push": {"title": "Bonjour", "body": "Votre panier vous attend"},
    "message.sms": {"body": "Votre panier vous attend"},
    "message.email": {"subject": "Votre panier", "body": "<p>Votre panier vous attend</p>"},
    "message.in_app": {"title": "Bienvenue", "body": "Découvrez la nouveauté"},
    "webhook": {"url": "https://exemple.fr/crochet"},
    "update_attribute": {"updates": [{"attribute": "fidele", "op": "set", "value": "oui"}]},
    "goal": {"goal": "achat"},
    "wait.event": {"event": "commande_passee", "timeout": {"amount": 1, "unit": "days"}},
    "branch.multi": {"cases": [{"port": "c1", "label": "Premier", "condition": {"kind": "group", "conditions": []}}]},
    "split": {
        "variants": [{"port": "A", "name": "Chemin A", "weight": 50}, {"port": "B", "name": "Chemin B", "weight": 50}]
    },
}


def every_step_journey(ctx: AppContext) -> int:
    """A draft with one step of every type, named in French; returns its id."""
    nodes = []
    for index, spec in enumerate(REGISTRY.values()):
        nodes.append(
            {
                "id": spec.type.replace(".", "_"),
                "type": spec.type,
                "name": t(f"builder.node.{spec.type}", lang="fr"),
                "config": FRENCH_CONFIGS.get(spec.type, spec.example),
                "position": {"x": 260 * (index % 5), "y": 180 * (index // 5)},
            }
        )
    journey_id = svc.create_journey(ctx, name="Parcours complet")
    doc = {"schema_version": 1, "name": "Parcours complet", "description": "Chaque étape", "nodes": nodes, "edges": []}
    svc.save_draft(ctx, journey_id, document.parse(doc), expected_revision=1)
    return journey_id


def live_journey(ctx: AppContext) -> int:
    """A small valid journey in French, published once; returns its id."""
    doc = {
        "schema_version": 1,
        "name": "Relance panier",
        "description": "Un SMS après un panier abandonné",
        "nodes": [
            {
                "id": "entree",
                "type": "entry.event",
                "name": "Panier abandonné",
                "config": {"event": "panier_abandonne"},
            },
            {"id": "sms", "type": "message.sms", "name": "Relance", "config": {"body": "Votre panier vous attend"}},
            {"id": "fin", "type": "exit", "name": "Fin", "config": {}},
        ],
        "edges": [
            {"source": "entree", "target": "sms", "port": "next"},
            {"source": "sms", "target": "fin", "port": "next"},
        ],
    }
    journey_id = svc.import_journey(ctx, doc)
    svc.publish(ctx, journey_id)
    return journey_id
