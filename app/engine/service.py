"""Engine use cases for the API and the builder: enroll through the API, in-app inbox, message preview."""

from __future__ import annotations

from typing import Any

from app.core import wakeup
from app.core.context import AppContext
from app.engine.engine import Candidate, Engine
from journeys import document
from journeys.errors import ConflictError
from journeys.liquid import TemplateError
from journeys.nodes import REGISTRY
from journeys.policy import DeliveryPolicy
from journeys.recommend import LIST_SIZE
from journeys.steps.message import liquid_context, render_fields, shows_predictions, shows_recommendations
from journeys.steps.types import Env, State
from storage import consent as consent_store
from storage import enrollments as store
from storage import outbox, predictions, products
from storage.journeys import NotFound, get_journey

CHANNELS = {"message.push": "push", "message.sms": "sms", "message.email": "email", "message.in_app": "in_app"}


class EnrollError(ConflictError):
    """The journey cannot take API entries now (not live, or it does not start with an API trigger)."""

    field = "journey_id"


def find_contact(ctx: AppContext, *, external_id: str) -> int | None:
    with ctx.db.session() as session:
        return consent_store.contact_by_external_id(session, external_id)


def enroll(ctx: AppContext, journey_id: int, *, external_id: str, properties: dict[str, Any]) -> bool:
    """Enroll one contact through an API entry. Returns False when re-entry rules turn them away."""
    contact_id = find_contact(ctx, external_id=external_id)
    if contact_id is None:
        raise NotFound(f"no contact with external_id {external_id!r}")
    engine = Engine(ctx)
    now = engine.now()
    with ctx.db.engine.begin() as conn:
        states = store.journey_states(conn)
        if journey_id not in states:
            raise NotFound(f"journey_id: no journey {journey_id}")
        if states[journey_id][1] is None:
            raise EnrollError("the journey is not live")
        status, version_id = states[journey_id]
        plan = engine.plan(conn, version_id)  # type: ignore[arg-type]
        if plan.entry_type != "entry.api":
            raise EnrollError("the journey does not start with an API trigger")
        before = store.entry_history(conn, journey_ids=[journey_id], contact_ids=[contact_id])
        live = {journey_id} if status == "live" else set()
        engine.policy = _policy(ctx)
        engine.enter(conn, [Candidate(plan, contact_id, properties)], live, now)
        after = store.entry_history(conn, journey_ids=[journey_id], contact_ids=[contact_id])
    wakeup.events_arrived()
    return after.get((journey_id, contact_id), [0])[0] > before.get((journey_id, contact_id), [0])[0]


def _policy(ctx: AppContext) -> DeliveryPolicy:
    from app.delivery.workspace import load_policy

    return load_policy(ctx)


def in_app_messages(ctx: AppContext, *, external_id: str, unread_only: bool = True) -> list[dict[str, Any]] | None:
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.connect() as conn:
        rows = outbox.inbox(conn, external_id=external_id, now=now, unread_only=unread_only)
    if rows is None:
        return None
    return [
        {
            "id": r.message_id,
            "journey_id": r.journey_id,
            "created_at": r.created_at,
            "read": r.read_at is not None,
            **r.content,
        }
        for r in rows
    ]


def mark_in_app_read(ctx: AppContext, *, external_id: str, message_id: str) -> bool:
    with ctx.db.engine.begin() as conn:
        return outbox.mark_read(
            conn, external_id=external_id, message_id=message_id, now=int(ctx.clock.now().timestamp())
        )


def preview(
    ctx: AppContext, journey_id: int, node_id: str, contact_id: int, event: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A message node of the draft rendered for one contact. Raises NotFound or TemplateError."""
    with ctx.db.session() as session:
        draft = get_journey(session, journey_id=journey_id).draft
    doc = document.parse(draft)
    node = doc.node(node_id)
    if node is None or (node.type not in CHANNELS and node.type != "webhook"):
        raise NotFound(f"journey {journey_id} has no message step {node_id!r}")
    config = REGISTRY[node.type].config_model.model_validate(node.config)
    with ctx.db.engine.connect() as conn:
        contact = store.load_contacts(conn, [contact_id]).get(contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    now = int(ctx.clock.now().timestamp())
    state = State(None, journey_id, 0, contact_id, 1, node_id, context={"event": event or {}}, entered_at=now)
    env = Env(now, contact, doc.settings, DeliveryPolicy())
    if shows_recommendations(config):
        with ctx.db.engine.connect() as conn:
            env.recommendations = products.recommendations_for(conn, [contact_id], LIST_SIZE)[contact_id]
    if shows_predictions(config):
        with ctx.db.engine.connect() as conn:
            contact.predicted = predictions.predictions_for(conn, [contact_id]).get(contact_id, {})
    return render_fields(CHANNELS.get(node.type, "webhook"), config, lambda: liquid_context(state, env))


__all__ = ["EnrollError", "NotFound", "TemplateError", "enroll", "in_app_messages", "mark_in_app_read", "preview"]
