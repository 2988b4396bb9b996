"""Every journey template exists in French: name, description, category, step names and message texts."""

from __future__ import annotations

import re

from nicegui.testing import User

from app.authoring import service as svc
from app.core.context import current
from journeys.templates import list_templates, translations
from journeys.validation import validate
from tests.auth_helpers import login
from tests.french_support import english_words
from tests.test_builder_page import draft

MESSAGE_FIELDS = ("title", "body", "subject", "preheader", "button_text")


def prose_in_english(text: str) -> list[str]:
    """English words of a message, keywords in capitals aside (STOP is the opt-out keyword in France too)."""
    return english_words(re.sub(r"\b[A-Z0-9]{2,}\b", " ", text))


def test_every_template_and_step_has_french_texts_that_keep_it_valid() -> None:
    french = translations("fr")
    assert set(french) == {template.slug for template in list_templates()}
    for template in list_templates():
        english, translated = template.load("en"), template.load("fr")
        assert validate(translated) == [], template.slug
        assert set(french[template.slug]["nodes"]) == {n.id for n in english.nodes}, template.slug
        assert translated.name != english.name and not english_words(translated.name + translated.description)
        for before, after in zip(english.nodes, translated.nodes, strict=True):
            assert after.name and after.name != before.name or after.name in {"SMS", "Push"}, (template.slug, after.id)
            for field in MESSAGE_FIELDS:
                if before.config.get(field):
                    assert after.config[field] != before.config[field], (template.slug, after.id, field)
                    assert not prose_in_english(str(after.config[field])), (template.slug, after.id, field)
            assert {k: v for k, v in after.config.items() if k not in MESSAGE_FIELDS} == {
                k: v for k, v in before.config.items() if k not in MESSAGE_FIELDS
            }, (template.slug, after.id)  # only words change: events, timings and conditions stay


def test_english_templates_are_unchanged() -> None:
    for template in list_templates():
        assert template.translated("en") == template
        assert template.load("en").name == template.name


async def test_a_french_marketer_starts_from_a_french_template(user: User) -> None:
    await login(user, "marketer")
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await user.open("/")
    user.find(marker="new-journey").click()
    await user.should_see("Panier abandonné : SMS puis e-mail")
    await user.should_see("Offre d'anniversaire")
    user.find(marker="use-template-abandoned_cart").click()
    journey_id = max(row.id for row, _ in svc.list_overview(current()))
    doc, _ = draft(journey_id)
    assert doc.name == "Panier abandonné : SMS puis e-mail"
    assert doc.node("sms").config["body"].startswith("{{ contact.first_name | default: 'Bonjour' }}, votre panier")
