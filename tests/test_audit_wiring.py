"""Sensitive actions land in the audit log with who did them: pages, API and CLI."""

from __future__ import annotations

from nicegui.testing import User

from app.access import audit
from app.authoring import service as svc
from app.core.context import current
from tests.auth_helpers import login
from tests.conftest import load_template_dict, run_cli


async def test_publishing_and_pausing_in_the_builder_are_audited_with_the_user(user: User) -> None:
    email = await login(user, "marketer", email="camille@example.com")
    journey_id = svc.import_journey(current(), load_template_dict("abandoned_cart"), actor=email)
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="publish").click()
    user.find(marker="review-confirm").click()
    await user.should_see("Published as version 1")
    user.find(marker="pause").click()
    await user.should_see("paused")
    entries = [e for e in audit.entries(current(), actor=email) if e.action.startswith("journey.")]
    assert [(e.action, e.target) for e in entries] == [
        ("journey.pause", str(journey_id)),
        ("journey.publish", str(journey_id)),
        ("journey.import", str(journey_id)),
    ]
    assert entries[1].details["version"] == 1


async def test_saving_the_delivery_policy_is_audited(user: User) -> None:
    email = await login(user, "admin")
    await user.open("/settings")
    user.find(marker="save-policy").click()
    await user.should_see("Delivery policy saved")
    assert [e.actor for e in audit.entries(current(), action="settings.save")] == [email]


def test_cli_api_key_and_journey_import_are_audited_as_cli(ctx) -> None:  # noqa: ANN001
    created = run_cli("apikey", "create", "backend")
    assert created.returncode == 0, created.stderr
    imported = run_cli("journey", "import", "journeys/templates/abandoned_cart.json")
    assert imported.returncode == 0, imported.stderr
    actions = {(e.actor, e.action) for e in audit.entries(ctx)}
    assert {("cli", "apikey.create"), ("cli", "journey.import")} <= actions


def test_cli_contact_import_is_audited_with_its_counts(ctx, tmp_path) -> None:  # noqa: ANN001
    source = tmp_path / "crm.csv"
    source.write_text("Id,Email\nu1,ann@example.com\nu2,not-an-email\n", encoding="utf-8")
    result = run_cli("contacts", "import", str(source), "--map", "external_id=Id,email=Email")
    assert result.returncode == 0, result.stderr
    [entry] = audit.entries(ctx, action="contacts.import")
    assert (entry.actor, entry.target) == ("cli", "crm.csv")
    assert entry.details == {"created": 1, "updated": 0, "rejected": 1}
