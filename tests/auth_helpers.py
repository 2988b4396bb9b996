"""Signing in from tests: every page except /login, /setup and public links needs an account.

- NiceGUI User fixture: ``await login(user)`` (marketer) or ``await login(user, "viewer")``.
- Playwright against the ``server`` fixture: ``seed_account(settings, ...)`` before the server starts (or
  ``create_account`` with a context), then ``browser_login(page, server.base_url, email)``.
"""

from __future__ import annotations

from typing import Any

from nicegui.testing import User

from app import auth, context
from app.context import AppContext, current
from app.settings import Settings

PASSWORD = "correct horse battery staple"


def create_account(ctx: AppContext, role: str = "marketer", email: str | None = None, name: str = "") -> str:
    email = email or f"{role}@example.com"
    auth.create_user(ctx, email=email, password=PASSWORD, role=role, display_name=name or role.title(), actor="test")
    return email


def seed_account(settings: Settings, role: str = "admin", email: str | None = None, name: str = "") -> str:
    """Create an account in the test's database before a server process starts."""
    ctx = context.init(settings)
    try:
        return create_account(ctx, role, email, name)
    finally:
        context.close()


async def login(user: User, role: str = "marketer", email: str | None = None, name: str = "") -> str:
    """Create an account with ``role`` (unless ``email`` exists already) and sign in through /login."""
    ctx = current()
    email = email or f"{role}@example.com"
    if auth.get_user_by_email(ctx, email) is None:
        create_account(ctx, role, email, name)
    await user.open("/login")
    user.find(marker="email").type(email)
    user.find(marker="password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_not_see(marker="login-submit", retries=200)  # argon2 runs in a thread
    return email


def browser_login(page: Any, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in with Playwright (sync API) and wait until the app has left the login page."""
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url, timeout=15_000)
