"""What a node form needs from the page: choices to pick from, a change callback, and read-only mode."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journeys.send_time import Preview

SAMPLE_CONTEXT: dict[str, Any] = {
    "contact": {"first_name": "Camille", "email": "camille@example.com", "phone": "+33612345678"},
    "event": {"checkout_url": "https://example.com/cart", "revenue": 49.9, "currency": "EUR"},
    "reply": {"text": "Oui", "intent": "opening_hours", "port": "yes"},
    "recommendations": [
        {
            "product_id": "sku-1",
            "name": "Trail shoes",
            "price": 89.0,
            "url": "https://example.com/p/1",
            "image_url": "",
        },
        {
            "product_id": "sku-2",
            "name": "Rain jacket",
            "price": 120.0,
            "url": "https://example.com/p/2",
            "image_url": "",
        },
    ],
}


@dataclass
class Choices:
    """Pickers' options, loaded by the page (forms never query the database)."""

    events: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    time_zones: list[str] = field(default_factory=list)
    contacts: dict[int, str] = field(default_factory=dict)
    preview_context: Callable[[int | None], dict[str, Any]] = lambda _id: SAMPLE_CONTEXT
    # (window hours, fallback HH:MM) -> when the workspace's contacts would get a best-time send (None: no chart)
    best_time_preview: Callable[[int, str], Preview | None] = lambda _hours, _fallback: None


@dataclass
class FormContext:
    choices: Choices
    changed: Callable[[], None]
    readonly: bool = False
