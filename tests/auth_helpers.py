"""Signing in from tests: every page except /login, /setup and public links needs an account.

- NiceGUI User fixture: ``await login(user)`` (marketer) or ``await login(user, "viewer")``.
- Playwright against the ``server`` fixture: ``page = signed_in_page(browser, server.base_url, "marketer")``
  (creates the account in the test's database if needed, opens a page and signs in), or by hand
  ``seed_account(settings, ...)`` / ``create_account(ctx, ...)`` then ``browser_login(page, base_url, email)``.
"""

from __future__ import annotations

from typing import Any

from nicegui.testing import User

from app.access import auth
from app.core import context
from app.core.context import AppContext, current
from app.core.settings import Settings, get_settings

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
    # The form's handlers live on the server: typing before the page's socket is connected can be lost.
    page.wait_for_function("() => window.socket && window.socket.connected", timeout=15_000)
    # Found by their autocomplete attributes, so the helper works whatever the page's language.
    page.locator("input[autocomplete=username]").fill(email)
    page.locator("input[autocomplete=current-password]").fill(password)
    page.locator("input[autocomplete=current-password]").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)  # password hashing is slow on purpose


def ensure_account(role: str = "marketer", email: str | None = None) -> str:
    """The account ``email`` (default ``<role>@example.com``) in the test's database, created if missing.

    Uses the test's context when one is open, otherwise a short-lived one (safe while a server runs: the
    server reads accounts from the same SQLite file on every sign-in).
    """
    email = email or f"{role}@example.com"
    try:
        ctx = current()
    except RuntimeError:
        ctx = None
    if ctx is None:
        ctx = context.init(get_settings())
        try:
            if auth.get_user_by_email(ctx, email) is None:
                create_account(ctx, role, email)
        finally:
            context.close()
    elif auth.get_user_by_email(ctx, email) is None:
        create_account(ctx, role, email)
    return email


def signed_in_page(browser: Any, base_url: str, role: str = "marketer", **page_options: Any) -> Any:
    """A new Playwright page (``browser.new_page(**page_options)``) signed in with an account of ``role``."""
    email = ensure_account(role)
    page = browser.new_page(**page_options)
    browser_login(page, base_url, email)
    return page
