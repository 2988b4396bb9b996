"""The look-ups behind the builder's pickers, on a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

from nicegui.testing import User

from app.access.auth import Principal
from app.access.policy import ACTING
from app.authoring import service as svc
from app.core.context import AppContext, current
from app.pages.builder.choices import load_choices, time_zones
from storage import catalog
from storage.models import Contact, Event
from tests.auth_helpers import login
from tests.conftest import load_template_dict


def seed(ctx: AppContext) -> int:
    now = ctx.clock.now()
    with ctx.db.session() as session:
        lea = Contact(
            email="lea@example.fr", attributes={"first_name": "Léa", "plan": "pro"}, created_at=now, updated_at=now
        )
        tom = Contact(phone="+33600000000", attributes={"city": "Lyon"}, created_at=now, updated_at=now)
        session.add_all([lea, tom])
        session.flush()
        session.add_all(
            [
                Event(
                    contact_id=lea.id,
                    name="Checkout Started",
                    properties={"checkout_url": "https://shop/1"},
                    timestamp=now - timedelta(hours=1),
                    received_at=now,
                ),
                Event(
                    contact_id=lea.id,
                    name="app_opened",
                    properties={},
                    timestamp=now - timedelta(days=1),
                    received_at=now,
                ),
                Event(contact_id=tom.id, name="Checkout Started", properties={}, timestamp=now, received_at=now),
            ]
        )
        return lea.id  # type: ignore[return-value]


def test_event_names_and_attribute_keys_are_distinct_and_sorted(ctx: AppContext) -> None:
    seed(ctx)
    with ctx.db.session() as session:
        assert catalog.event_names(session) == ["Checkout Started", "app_opened"]
        assert catalog.attribute_keys(session) == ["city", "first_name", "plan"]


def test_contact_profile_merges_attributes_and_latest_event(ctx: AppContext) -> None:
    lea = seed(ctx)
    with ctx.db.session() as session:
        profile = catalog.contact_profile(session, contact_id=lea)
        assert profile is not None
        assert profile["contact"]["first_name"] == "Léa" and profile["contact"]["email"] == "lea@example.fr"
        assert profile["event"] == {"checkout_url": "https://shop/1"}
        assert catalog.contact_profile(session, contact_id=999) is None
        assert [c.label for c in catalog.search_contacts(session, query="lea")] == ["lea@example.fr"]


def test_choices_offer_time_zones_and_contacts_to_marketers_only(ctx: AppContext) -> None:
    seed(ctx)
    for role, expected in (("marketer", ["+33600000000", "lea@example.fr"]), ("viewer", []), (None, [])):
        acting = ACTING.set(Principal(1, "someone@example.com", "Someone", role) if role else None)
        try:
            choices = load_choices(ctx)
        finally:
            ACTING.reset(acting)
        assert "Europe/Paris" in choices.time_zones and "UTC" in time_zones()
        assert sorted(choices.contacts.values()) == expected, role


async def test_sms_preview_uses_the_chosen_contact(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    seed(current())
    journey_id = svc.import_journey(current(), load_template_dict("abandoned_cart"))
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="canvas").trigger("nodeSelected", {"id": "sms"})
    await user.should_see("Léa, your cart is waiting: https://shop/1")
