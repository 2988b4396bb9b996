"""Plural forms, step summaries and problems said in the marketer's words, in English and French."""

from __future__ import annotations

from nicegui.testing import User

from app import i18n
from app.i18n import plural_form, t, tn
from app.wording import explain, say
from journeys import document
from journeys.nodes import REGISTRY
from journeys.validation import validate
from tests.auth_helpers import login
from tests.test_builder_page import canvas, open_cart


def test_french_treats_zero_and_one_as_singular_english_only_one() -> None:
    assert [plural_form(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert tn("wording.problems_found", 1, lang="en") == "1 problem to fix before publishing"
    assert tn("wording.problems_found", 0, lang="en") == "0 problems to fix before publishing"
    assert tn("wording.problems_found", 0, lang="fr") == "0 problème à corriger avant de publier"
    assert tn("wording.problems_found", 3, lang="fr") == "3 problèmes à corriger avant de publier"


def test_every_plural_entry_has_both_forms_in_both_languages() -> None:
    for code, table in i18n.tables().items():
        plurals = {key: entry for key, entry in table.items() if isinstance(entry, dict)}
        assert "wording.problems_found" in plurals, code
        for key, forms in plurals.items():
            assert set(forms) == {"one", "other"} and all(forms.values()), (code, key)


def _summary(node_type: str, config: dict, lang: str) -> str:
    spec = REGISTRY[node_type]
    token = i18n.language.set(lang)
    try:
        assert spec.phrase is not None
        return say(spec.phrase(spec.config_model.model_validate(config)))
    finally:
        i18n.language.reset(token)


def test_every_step_type_has_a_summary_in_each_language() -> None:
    for spec in REGISTRY.values():
        cases = {"cases": [{"port": "c1", "condition": {"kind": "group", "conditions": []}}]}
        example = spec.example or (cases if spec.type == "branch.multi" else {})
        english, french = _summary(spec.type, example, "en"), _summary(spec.type, example, "fr")
        assert english and french, spec.type
        assert "wording." not in english + french


def test_summaries_use_plural_forms_and_translated_units() -> None:
    wait = {"duration": {"amount": 1, "unit": "hours"}}
    assert _summary("wait.duration", wait, "en") == "Wait 1 hour"
    assert _summary("wait.duration", wait, "fr") == "Attendre 1 heure"
    two_days = {"event": "order_completed", "timeout": {"amount": 2, "unit": "days"}}
    assert _summary("wait.event", two_days, "fr") == "Attendre order_completed, au plus 2 jours"
    assert _summary("message.sms", {"body": "Votre panier"}, "fr") == "SMS : Votre panier"
    assert _summary("wait.until", {"time": "09:00", "weekdays": ["mon", "fri"]}, "fr") == (
        "Attendre jusqu'à 09:00 le lundi, vendredi, heure locale"
    )


def _problems(doc_dict: dict, lang: str) -> list[str]:
    token = i18n.language.set(lang)
    try:
        return [explain(v) for v in validate(document.parse(doc_dict))]
    finally:
        i18n.language.reset(token)


def _one_step(node_type: str, config: dict) -> dict:
    return {
        "schema_version": 1,
        "name": "J",
        "nodes": [
            {"id": "entry", "type": "entry.event", "config": {"event": "signed_up"}},
            {"id": "step", "type": node_type, "config": config},
            {"id": "done", "type": "exit", "config": {}},
        ],
        "edges": [
            {"source": "entry", "target": "step", "port": "next"},
            {"source": "step", "target": "done", "port": "next"},
        ],
    }


def test_a_missing_setting_says_what_to_do_not_the_field_error() -> None:
    doc = _one_step("entry.event", {})
    doc["nodes"] = [{"id": "entry", "type": "entry.event", "config": {}}, {"id": "done", "type": "exit", "config": {}}]
    doc["edges"] = [{"source": "entry", "target": "done", "port": "next"}]
    assert _problems(doc, "en") == ["Choose the event that starts this journey"]
    assert _problems(doc, "fr") == ["Choisissez l'événement qui démarre ce parcours"]
    assert _problems(_one_step("message.email", {"subject": "Hi"}), "en") == ["Write the body of the email"]


def test_a_cleared_wait_amount_is_a_problem_on_the_node_not_zero() -> None:
    doc = _one_step("wait.duration", {"duration": {"amount": None, "unit": "hours"}})
    assert _problems(doc, "en") == ["Enter how long to wait"]
    assert _problems(doc, "fr") == ["Indiquez combien de temps attendre"]


def test_graph_problems_are_instructions_in_both_languages() -> None:
    doc = _one_step("wait.duration", {})
    doc["edges"] = doc["edges"][:1]
    assert _problems(doc, "en") == [
        "No path from the trigger reaches this step: connect it",
        "Connect this step to a next step or an Exit",
    ]
    assert _problems(doc, "fr")[1] == "Reliez cette étape à une étape suivante ou à une Sortie"
    assert all("{" not in p for p in _problems(doc, "fr"))


async def test_builder_handlers_speak_the_tab_language_without_restoring_it(user: User) -> None:
    await login(user, "marketer")
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await open_cart(user)
    user.find(marker="canvas").trigger("elementsRemoved", {"nodes": ["done"], "edges": []})
    await user.should_see("Problèmes (1)")
    await user.should_see("Reliez cette étape à une étape suivante ou à une Sortie")
    email = next(n for n in canvas(user).nodes if n["id"] == "email")
    assert email["problems"] == ["Reliez cette étape à une étape suivante ou à une Sortie"]
    sms = next(n for n in canvas(user).nodes if n["id"] == "sms")
    assert sms["summary"].startswith("SMS : ")
    wait = next(n for n in canvas(user).nodes if n["id"] == "wait_1h")
    assert wait["summary"] == "Attendre Order Completed, au plus 1 heure"
    assert t("builder.publish") == "Publish"  # outside the tab, English as before


async def test_a_short_password_at_setup_is_said_on_the_password_field_in_french(user: User) -> None:
    user.http_client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    await user.open("/setup")
    user.find(marker="setup-email").type("root@example.com")
    user.find(marker="setup-password").type("court")
    user.find(marker="setup-confirm").type("court")
    user.find(marker="setup-submit").click()
    (password,) = user.find(marker="setup-password").elements
    assert password.error == "Saisissez un mot de passe d'au moins 10 caractères"
    (email,) = user.find(marker="setup-email").elements
    assert email.error is None
