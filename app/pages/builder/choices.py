"""Options the builder's pickers offer, read from the database (forms themselves never query it)."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from app.core.context import AppContext
from components.node_forms.context import SAMPLE_CONTEXT, Choices
from journeys.recommend import LIST_SIZE
from journeys.send_time import Preview
from storage import catalog, products


@cache
def time_zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def segment_names(ctx: AppContext) -> list[str]:
    """Saved segment names. The one place to change when saved segments get their own table."""
    del ctx
    return []


def may_see_contacts() -> bool:
    """Viewers read journeys, not people: their previews use the synthetic sample contact."""
    from app.access.auth import allows
    from app.access.policy import MARKETER, current_principal

    principal = current_principal()
    return principal is not None and allows(principal.role, MARKETER)


def preview_context(ctx: AppContext, contact_id: int | None) -> dict[str, Any]:
    # Checked at every preview, not only when the page opened: a demoted account's open tab sees no one either.
    if contact_id is None or not may_see_contacts():
        return SAMPLE_CONTEXT
    with ctx.db.session() as session:
        profile = catalog.contact_profile(session, contact_id=contact_id)
    if profile is None:
        return SAMPLE_CONTEXT
    with ctx.db.engine.connect() as conn:
        listed = products.recommendations_for(conn, [contact_id], LIST_SIZE)[contact_id]
    return {**profile, "recommendations": listed}


def best_time_preview(ctx: AppContext, hours: int, fallback: str) -> Preview:
    """The side panel's chart data, computed at most once per five minutes for the same settings (the panel
    redraws it after every keystroke)."""
    from app.engagement.best_time import preview

    slot = int(ctx.clock.now().timestamp()) // 300
    key = (id(ctx), slot, hours, fallback)
    if key not in _PREVIEWS:
        _PREVIEWS.clear()  # one page's settings at a time is all the cache is for
        _PREVIEWS[key] = preview(ctx, within_hours=hours, fallback=fallback)
    return _PREVIEWS[key]


_PREVIEWS: dict[tuple[int, int, int, str], Preview] = {}


def load_choices(ctx: AppContext) -> Choices:
    with ctx.db.session() as session:
        events = catalog.event_names(session)
        attributes = catalog.attribute_keys(session)
        contacts = {c.id: c.label for c in catalog.search_contacts(session, limit=50)} if may_see_contacts() else {}
    return Choices(
        events=events,
        attributes=attributes,
        segments=segment_names(ctx),
        time_zones=time_zones(),
        contacts=contacts,
        preview_context=lambda contact_id: preview_context(ctx, contact_id),
        best_time_preview=lambda hours, fallback: best_time_preview(ctx, hours, fallback),
    )


def node_counts(ctx: AppContext, journey_id: int) -> dict[str, int]:
    """Contacts currently on each step (every live version together)."""
    from storage.enrollments import active_by_node

    with ctx.db.engine.connect() as conn:
        return active_by_node(conn, journey_id=journey_id)
