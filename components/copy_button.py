"""A button that copies a secret shown once (API key, token) to the clipboard, entirely in the browser.

The secret travels as an element attribute (data, set through ``props[...]``), and a fixed JavaScript handler
reads it from the clicked element: the value is never formatted into JavaScript or a props string.
"""

from __future__ import annotations

from nicegui import ui

# Constant code: reads the value from the button's own data attribute, then tells the server it was copied.
COPY_JS = (
    "(e) => { const b = e.target.closest('[data-copy]');"
    " if (b && navigator.clipboard) { navigator.clipboard.writeText(b.dataset.copy).then(() => emit()); } }"
)


def copy_button(value: str, label: str, copied: str) -> ui.button:
    """``label`` on the button; ``copied`` is the notification once the browser has written the clipboard."""
    button = ui.button(label, icon="content_copy").props("flat dense")
    button.props["data-copy"] = value
    button.on("click", lambda: ui.notify(copied, type="positive"), js_handler=COPY_JS)
    return button
