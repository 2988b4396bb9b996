"""NiceGUI pages. Registered by a function, not at import time, so a test run can register them again."""

from __future__ import annotations


def register_pages() -> None:
    from app.pages import home

    home.register()
