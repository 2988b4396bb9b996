"""Say what the pure core describes in codes: step summaries and problems, in the reader's language and words.

``journeys/`` returns :class:`Phrase` codes and violations with a ``detail`` code and values; this module turns
them into text with ``app.i18n`` (plural forms included), so the canvas, the side panel and the problem list say
the same thing.
"""

from __future__ import annotations

from app.i18n import t, tn
from app.wording_keys import AUTH_KEYS, DURATION_KEYS, FIX_KEYS, PLURAL_KEYS, PROBLEM_KEYS, SUMMARY_KEYS
from journeys.durations import Duration
from journeys.nodes.base import Phrase
from journeys.validation import Violation

# The form label of each setting, for problems without a sentence of their own.
FIELD_LABELS = {
    "event": "builder.form.event",
    "segment": "builder.form.segment",
    "attribute": "builder.form.attribute",
    "at": "builder.form.at",
    "cron": "builder.form.cron",
    "time_zone": "builder.form.time_zone",
    "offset": "builder.form.offset",
    "time_of_day": "builder.form.time_of_day",
    "duration": "builder.form.wait_for",
    "timeout": "builder.form.timeout",
    "time": "builder.form.time",
    "date": "builder.form.date",
    "url": "builder.form.url",
    "method": "builder.form.method",
    "goal": "builder.form.goal",
}


MESSAGE_FIELD_LABELS = {
    "title": "builder.form.msg.title",
    "body": "builder.form.msg.body",
    "url": "builder.form.msg.url",
    "image_url": "builder.form.msg.image_url",
    "subject": "builder.form.msg.subject",
    "preheader": "builder.form.msg.preheader",
    "button_text": "builder.form.msg.button_text",
    "button_url": "builder.form.msg.button_url",
    "layout": "builder.form.msg.layout",
    "expires_after_days": "builder.form.msg.expires_after_days",
}


def field_label(node_type: str, field: str) -> str:
    if node_type.startswith("message.") and field in MESSAGE_FIELD_LABELS:
        return t(MESSAGE_FIELD_LABELS[field])
    if node_type == "webhook" and field == "body":
        return t("builder.form.webhook_body")
    return t(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def _value(value: object) -> object:
    if isinstance(value, Duration):
        return duration(value)
    if isinstance(value, Phrase):
        return say(value)
    if isinstance(value, list):
        return ", ".join(str(_value(v)) for v in value)
    return value


def duration(value: Duration) -> str:
    return tn(DURATION_KEYS[value.unit], value.amount)


def say(phrase: Phrase) -> str:
    """A step summary (or part of one) in the current language."""
    key = SUMMARY_KEYS.get(phrase.code)
    if key is None:
        return ""
    values = {name: _value(v) for name, v in phrase.values.items()}
    if key in PLURAL_KEYS:
        count = values.pop("count", 0)
        return tn(key, int(count) if isinstance(count, int) else 0, **values)
    return t(key, **values)


def explain(violation: Violation) -> str:
    """What to do about a problem, in the marketer's words."""
    values = dict(violation.values)
    field = str(values.get("field", ""))
    node_type = str(values.get("node_type", ""))
    if violation.detail in {"field_missing", "field_invalid"}:
        fix = FIX_KEYS.get((node_type, field))
        if fix is not None:
            return t(fix)
        return t(PROBLEM_KEYS[violation.detail], field=field_label(node_type, field))
    key = PROBLEM_KEYS.get(violation.detail or violation.code)
    if key is None:
        return violation.message
    if violation.detail == "template_syntax":
        values["field"] = field_label(node_type, field)
    return t(key, **values)


def refusal(exc: Exception) -> str:
    """A refused account operation (``app.access.auth.AuthError``) in the user's words; its English line otherwise."""
    key = AUTH_KEYS.get(getattr(exc, "code", ""))
    return t(key, **getattr(exc, "values", {})) if key else str(exc)
