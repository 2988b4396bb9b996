"""First-run set-up, sign-in, sign-out and the "not allowed" page, through the NiceGUI User fixture."""

from __future__ import annotations

from nicegui.testing import User

from app.access import audit, auth
from app.core.context import current
from tests.auth_helpers import PASSWORD, create_account, login


async def test_fresh_install_sends_every_page_to_setup(user: User) -> None:
    for path in ("/", "/admin/users", "/login"):
        await user.open(path)
        await user.should_see("Create the administrator account")


async def test_setup_creates_the_admin_and_signs_in(user: User) -> None:
    await user.open("/setup")
    user.find(marker="setup-email").type("root@example.com")
    user.find(marker="setup-name").type("Root")
    user.find(marker="setup-password").type(PASSWORD)
    user.find(marker="setup-confirm").type(PASSWORD)
    user.find(marker="setup-submit").click()
    await user.should_see("No journeys yet", retries=200)
    assert [(u.email, u.role) for u in auth.list_users(current())] == [("root@example.com", "admin")]


async def test_setup_is_refused_once_an_account_exists(user: User) -> None:
    create_account(current(), "viewer")
    await user.open("/setup")
    await user.should_see("Parcours is already set up.")
    await user.should_not_see(marker="setup-submit")


async def test_setup_with_different_passwords_creates_nothing(user: User) -> None:
    await user.open("/setup")
    user.find(marker="setup-email").type("root@example.com")
    user.find(marker="setup-password").type(PASSWORD)
    user.find(marker="setup-confirm").type(PASSWORD + "!")
    user.find(marker="setup-submit").click()
    await user.should_see("The two passwords differ.")
    assert auth.list_users(current()) == []


async def test_anonymous_visitor_is_sent_to_login_and_back_after_signing_in(user: User) -> None:
    create_account(current(), "admin")
    await user.open("/admin/users")
    await user.should_see(marker="login-submit")
    user.find(marker="email").type("admin@example.com")
    user.find(marker="password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see("Add a user", retries=200)


async def test_wrong_password_shows_a_message_and_no_session(user: User) -> None:
    create_account(current(), "marketer")
    await user.open("/login")
    user.find(marker="email").type("marketer@example.com")
    user.find(marker="password").type("wrong password!")
    user.find(marker="login-submit").click()
    await user.should_see("Wrong email or password.", retries=200)
    await user.open("/")
    await user.should_see(marker="login-submit")


async def test_repeated_guessing_shows_the_wait(user: User) -> None:
    create_account(current(), "marketer")
    for _ in range(auth.ACCOUNT_FREE_FAILURES + 1):
        await user.open("/login")
        user.find(marker="email").type("marketer@example.com")
        user.find(marker="password").type("wrong password!")
        user.find(marker="login-submit").click()
        await user.should_see("Wrong email or password.", retries=200)
    await user.open("/login")
    user.find(marker="email").type("marketer@example.com")
    user.find(marker="password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see(content="Too many failed attempts. Try again in", retries=200)


async def test_logout_ends_the_session_and_is_audited(user: User) -> None:
    await login(user, "viewer")
    await user.open("/logout")
    await user.should_see(marker="login-submit")
    await user.open("/")
    await user.should_see(marker="login-submit")
    assert [e.action for e in audit.entries(current(), action="logout")] == ["logout"]


async def test_viewer_on_an_admin_page_sees_not_allowed(user: User) -> None:
    await login(user, "viewer")
    await user.open("/admin/audit")
    await user.should_see("Your role does not give access to this page.")
    await user.should_not_see(marker="audit-table")


async def test_deactivated_user_is_signed_out_on_the_next_page(user: User) -> None:
    create_account(current(), "admin", "root@example.com")
    await login(user, "marketer")
    auth.set_active(current(), email="marketer@example.com", active=False, actor="root@example.com")
    await user.open("/")
    await user.should_see(marker="login-submit")


async def test_login_never_redirects_to_another_site(user: User) -> None:
    create_account(current(), "viewer")
    response = await user.http_client.get("/login?next=//evil.example/", follow_redirects=False)
    assert response.status_code == 200
    await user.open("/login?next=https://evil.example/")
    user.find(marker="email").type("viewer@example.com")
    user.find(marker="password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see("No journeys yet", retries=200)


def test_next_targets_outside_the_site_fall_back_to_home() -> None:
    from app.access.policy import safe_next

    for target in ("//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "", None):
        assert safe_next(target) == "/"
    assert safe_next("/journeys/3?tab=stats") == "/journeys/3?tab=stats"
