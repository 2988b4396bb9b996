"""Say what the pure core describes in codes: step summaries and problems, in the reader's language and words.

``journeys/`` returns :class:`Phrase` codes and violations with a ``detail`` code and values; this module turns
them into text with ``app.i18n`` (plural forms included), so the canvas, the side panel and the problem list say
the same thing. A node type's own sentences (its summary phrases, setting labels and fixes) come from its module
through the node registry; the tables of ``app.wording_keys`` hold what several node types share.
"""

from __future__ import annotations

from app.i18n import t, tn
from app.wording_keys import AUTH_KEYS, DURATION_KEYS, PLURAL_KEYS, PROBLEM_KEYS, SUMMARY_KEYS
from journeys import nodes
from journeys.durations import Duration
from journeys.nodes.base import Phrase
from journeys.validation import Violation


def _node_key(node_type: str, local: str) -> str | None:
    """The translation key of a node type's own text, if it has one."""
    key = nodes.text_key(node_type, local)
    return key if key in nodes.texts("en") else None


def field_label(node_type: str, field: str) -> str:
    """The label the side panel shows for a setting (its name when the form has no such field)."""
    key = _node_key(node_type, f"field.{field}")
    return t(key) if key is not None else field


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
    key = SUMMARY_KEYS.get(phrase.code) or nodes.phrase_key(phrase.code)
    if key is None:
        return ""
    values = {name: _value(v) for name, v in phrase.values.items()}
    if key in PLURAL_KEYS or f"{key}.one" in nodes.texts("en"):
        count = values.pop("count", 0)
        return tn(key, int(count) if isinstance(count, int) else 0, **values)
    return t(key, **values)


def explain(violation: Violation) -> str:
    """What to do about a problem, in the marketer's words."""
    values = dict(violation.values)
    field = str(values.get("field", ""))
    node_type = str(values.get("node_type", ""))
    if violation.detail in {"field_missing", "field_invalid"}:
        fix = _node_key(node_type, f"fix.{field}")
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
