"""The step shared by message nodes (push, SMS, email, in-app) and the webhook node: decide, render, queue."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from journeys import delivery, predictions, send_time
from journeys.liquid import TemplateError
from journeys.liquid_fast import render_fast
from journeys.revenue import CONTROL_GROUP
from journeys.steps.types import Decision, Env, Message, State

FIELDS = {
    "push": ("title", "body", "url", "image_url"),
    "sms": ("body",),
    "email": ("subject", "preheader", "body"),
    "in_app": ("layout", "title", "body", "button_text", "button_url", "expires_after_days"),
    "webhook": ("url", "method", "body", "headers"),
}
TEMPLATED = {"title", "body", "url", "subject", "preheader", "button_text", "button_url"}
RECOMMENDATIONS = "recommendations"
# Templates naming the variable or the filter (``contact | recommended: 3``) get the contact's list loaded.
MENTIONS = "recommend"


def _templates(config: Any) -> list[str]:
    return [value for value in (getattr(config, name, None) for name in TEMPLATED) if isinstance(value, str)]


def shows_recommendations(config: Any) -> bool:
    """Whether a message's templates read the contact's recommended products (so the engine loads them)."""
    return any(MENTIONS in value for value in _templates(config))


def shows_predictions(config: Any) -> bool:
    """Whether a message's templates read ``predicted.<goal>`` scores (so the engine loads them)."""
    return any(predictions.mentions(value) for value in _templates(config))


def liquid_context(state: State, env: Env) -> dict[str, Any]:
    context: dict[str, Any] = {
        "contact": env.contact.liquid(),
        "event": state.context.get("event", {}),
        "reply": state.context.get("reply", {}),
        "journey": {"id": state.journey_id, "variant": state.variant, "entered_at": state.entered_at},
    }
    if env.recommendations:  # only when loaded: a template reading none sees an empty (nil) list alike
        context[RECOMMENDATIONS] = env.recommendations
    if env.contact.predicted:
        context[predictions.VARIABLE] = predictions.liquid_values(env.contact.predicted)
    return context


def render_fields(channel: str, config: Any, context: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The message content for one contact; raises TemplateError when a template fails."""
    out: dict[str, Any] = {}
    built: dict[str, Any] | None = None
    for name in FIELDS[channel]:
        value = getattr(config, name)
        if name in TEMPLATED and isinstance(value, str) and ("{{" in value or "{%" in value):
            built = built if built is not None else context()
            value = render_fast(value, built)
        out[name] = value
    return out


def _recipient(channel: str, env: Env) -> dict[str, Any]:
    contact = env.contact
    if channel == "sms":
        return {"external_id": contact.external_id, "phone": contact.phone}
    if channel == "email":
        return {"external_id": contact.external_id, "email": contact.email}
    return {"external_id": contact.external_id}


def uses_best_time(config: Any) -> bool:
    """Whether a step waits for the contact's best time (a message option, or a wait until the best time)."""
    return bool(getattr(config, "best_time", False)) or getattr(config, "mode", None) == "best_time"


def best_time(
    env: Env, *, within_hours: int, fallback: str, channel: str = "", transactional: bool = False
) -> send_time.Choice:
    """The contact's best instant in the window; for a message, outside its channel's quiet hours when possible."""
    quiet = channel and not transactional
    return send_time.choose(
        env.now,
        within_hours=within_hours,
        tz=delivery.contact_zone(env),
        contact=env.send_profile,
        workspace=env.workspace_profile,
        fallback=fallback,
        blocked=(lambda at: delivery.quiet_at(env, channel, at)) if quiet else None,
    )


def _best_time_wait(channel: str, config: Any, state: State, env: Env, transactional: bool) -> Decision | None:
    """A wait until the contact's best time, on the first arrival at the step, when it is not now."""
    if state.phase != 0 or not getattr(config, "best_time", False):
        return None
    window, fallback = config.best_time_hours, config.best_time_fallback
    choice = best_time(env, within_hours=window, fallback=fallback, channel=channel, transactional=transactional)
    if choice.at <= env.now:
        return None
    return Decision(wait_until=choice.at, outcome="deferred", reason=choice.reason)


def send(channel: str, config: Any, state: State, env: Env) -> Decision:
    """The step of every message node and the webhook: check consent, quiet hours and caps, render, queue."""
    transactional = bool(getattr(config, "transactional", False))
    held = state.context.get("control")  # True (a split's control), "holdout" or "control_group"
    if held and channel != "webhook" and not (held == CONTROL_GROUP and transactional):
        return Decision.go("next", outcome="skipped", reason=held if isinstance(held, str) else "control")
    if channel != "webhook":
        consent = delivery.consent_problem(env.contact, channel, env.policy.consent)
        problem = consent or delivery.address_problem(env.contact, channel)
        if problem:
            return Decision.go("next", outcome="skipped", reason=problem)
        # Consent is checked again at the chosen instant (below, on the step's second arrival).
        if (waiting := _best_time_wait(channel, config, state, env, transactional)) is not None:
            return waiting
        if not transactional:
            until = delivery.quiet_until(env, channel)
            if until is not None:
                if env.policy.quiet_hours.action == "drop":
                    return Decision.go("next", outcome="skipped", reason="quiet_hours")
                return Decision(wait_until=until, outcome="deferred", reason="quiet_hours")
            if delivery.cap_reached(env, channel, state.journey_id):
                return Decision.go("next", outcome="skipped", reason="frequency_cap")
    try:
        content = render_fields(channel, config, lambda: liquid_context(state, env))
    except TemplateError as exc:
        return Decision.go("next", outcome="failed", reason="template_error", context_updates={"error": str(exc)})
    if channel == "webhook" and not content["body"]:
        content["body"] = json.dumps(liquid_context(state, env), sort_keys=True, default=str)
    payload = {**content, **_recipient(channel, env)}
    message = Message(state.message_id(state.node_id), channel, state.node_id, transactional, payload)
    # Sent all the same, but the step counters say the products it meant to show were not there.
    empty = env.recommendations == [] and shows_recommendations(config)
    reason = "no_recommendations" if empty else ""
    if not reason and env.predictions_loaded and not env.contact.predicted and shows_predictions(config):
        reason = predictions.MODEL_MISSING  # sent all the same, with the scores shown empty
    return Decision.go("next", outcome="queued", reason=reason, message=message)
