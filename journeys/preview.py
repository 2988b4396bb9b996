"""Message previews: a message node's Liquid fields rendered for one contact, per channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys import liquid
from journeys.sms import SmsSize, measure

CHANNEL_FIELDS = {
    "message.push": ("title", "body", "url"),
    "message.sms": ("body",),
    "message.email": ("subject", "preheader", "body"),
    "message.in_app": ("title", "body", "button_text"),
    "webhook": ("url", "body"),
}


@dataclass
class Preview:
    fields: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    sms: SmsSize | None = None


def render_preview(node_type: str, config: dict[str, Any], context: dict[str, Any]) -> Preview:
    """Each Liquid field of the node rendered with ``context`` ({"contact": ..., "event": ...})."""
    out = Preview()
    for name in CHANNEL_FIELDS.get(node_type, ()):
        source = config.get(name) or ""
        if not isinstance(source, str):
            continue
        try:
            out.fields[name] = liquid.render(source, context)
        except liquid.TemplateError as exc:
            out.errors[name] = str(exc)
            out.fields[name] = ""
    if node_type == "message.sms":
        out.sms = measure(out.fields.get("body", ""))
    return out
