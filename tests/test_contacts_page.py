"""Contacts search and profile pages on a real SQLite file (User fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from app.core.context import current
from storage import contacts as contact_store
from storage import contacts_queries as queries
from tests.auth_helpers import login

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def _add_contacts(count: int) -> list[int]:
    rows = [
        {
            "external_id": f"user-{i:03d}",
            "email": f"person{i}@example.fr",
            "phone": f"+3361234{i:04d}",
            "attributes": {"first_name": f"Prénom{i}", "last_name": "Dupont", "city": "Lyon" if i % 2 else "Paris"},
            "consent": {"push": "subscribed", "sms": "unsubscribed"},
            "created_at": NOW,
            "updated_at": NOW,
        }
        for i in range(count)
    ]
    with current().db.session() as session:
        contact_store.insert_contacts(session, rows, now=NOW)
        return queries.contact_ids(session, external_prefix="user-")


async def test_empty_contacts_page_explains_where_contacts_come_from(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts")
    await user.should_see("No contacts yet")
    await user.should_see("tracking API")


async def test_search_by_email_phone_external_id_and_attribute(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts")
    _add_contacts(30)
    await user.open("/contacts")
    await user.should_see("Page 1 of 2 · 30 in all")
    search = user.find(marker="contact-search")
    for text, expected in (
        ("person7@", "Prénom7 Dupont"),
        ("+33612340012", "Prénom12 Dupont"),
        ("user-021", "Prénom21"),
    ):
        search.clear().type(text)
        await user.should_see(expected)
        await user.should_see("Page 1 of 1 · 1 in all")
    search.clear().type("lyon")
    await user.should_see("15 in all")
    search.clear().type("nobody-here")
    await user.should_see("No contact matches “nobody-here”")


async def test_search_treats_percent_and_underscore_literally(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts")
    _add_contacts(3)
    await user.open("/contacts")
    user.find(marker="contact-search").type("%")
    await user.should_see("No contact matches “%”")


async def test_next_page_shows_older_contacts(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts")
    _add_contacts(30)
    await user.open("/contacts")
    await user.should_see("Prénom29 Dupont")
    await user.should_not_see("Prénom0 Dupont")
    user.find(marker="contacts-pager-next").click()
    await user.should_see("Page 2 of 2 · 30 in all")
    await user.should_see("Prénom0 Dupont")


async def test_profile_shows_attributes_consent_timeline_latest_first(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts")
    contact_id = _add_contacts(1)[0]
    events = [
        {
            "contact_id": contact_id,
            "name": name,
            "properties": {"n": i},
            "timestamp": NOW + timedelta(hours=i),
            "received_at": NOW,
        }
        for i, name in enumerate(["app_opened", "cart_abandoned", "order_completed"])
    ]
    with current().db.session() as session:
        contact_store.insert_events(session, events)
    await user.open(f"/contacts/{contact_id}")
    await user.should_see("Prénom0 Dupont")
    await user.should_see("person0@example.fr")
    await user.should_see("city")
    await user.should_see("subscribed")
    await user.should_see("unsubscribed")
    await user.should_see("This contact is not in any journey yet")
    timeline = user.find(marker="event-timeline").elements.pop()
    shown = [el.text for el in timeline.descendants() if "event-name" in el._markers]
    assert shown == ["order_completed", "cart_abandoned", "app_opened"]


async def test_profile_of_unknown_contact_says_so(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts/999")
    await user.should_see("Contact 999 does not exist")


async def test_attribute_with_markup_renders_as_text(user: User) -> None:
    await login(user, "marketer")
    await user.open("/contacts")
    with current().db.session() as session:
        contact_store.insert_contacts(
            session,
            [
                {
                    "external_id": "x",
                    "attributes": {"first_name": "<script>alert('x')</script>"},
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ],
            now=NOW,
        )
        contact_id = queries.contact_ids(session, external_prefix="x")[0]
    await user.open(f"/contacts/{contact_id}")
    await user.should_see("<script>alert('x')</script>")


async def test_profile_says_what_the_app_must_send_for_channels_the_contact_cannot_receive(user: User) -> None:
    from app.delivery.workspace import save_consent_policy
    from journeys.policy import ConsentPolicy
    from tests.engine_support import add_contacts

    await login(user, "marketer")
    ctx = current()
    (contact_id,) = add_contacts(ctx, 1, consent={"email": "unsubscribed"}, phone=None)
    await user.open(f"/contacts/{contact_id}")
    await user.should_see("No push: the app has not reported a push token.")
    await user.should_see("No SMS: no recorded SMS consent.")
    await user.should_see("Email: the person opted out. Only they can opt in again")
    await user.should_not_see(marker="contact-fix-in_app")
    save_consent_policy(ctx, ConsentPolicy(sms="legitimate_interest"), actor="admin@example.com")
    await user.open(f"/contacts/{contact_id}")
    await user.should_see("No SMS: no phone number. The app sends identify with the trait phone.")
