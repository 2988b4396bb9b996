"""The shared header shows who is signed in, a way out, and the admin pages to administrators only."""

from __future__ import annotations

from nicegui.testing import User

from tests.auth_helpers import login


async def test_header_names_the_signed_in_user_and_role_with_a_logout_link(user: User) -> None:
    await login(user, "marketer", name="Camille")
    await user.open("/")
    await user.should_see("Signed in as Camille (Marketer)")
    await user.should_see(marker="logout")
    await user.should_not_see("Audit log")
    await user.should_not_see("Users")


async def test_admins_get_links_to_users_and_audit_log(user: User) -> None:
    await login(user, "admin", name="Alex")
    await user.open("/")
    await user.should_see("Signed in as Alex (Administrator)")
    user.find("Audit log").click()
    await user.should_see(marker="audit-table", retries=50)


async def test_logout_link_ends_the_session(user: User) -> None:
    await login(user, "viewer")
    await user.open("/")
    user.find(marker="logout").click()
    await user.should_see(marker="login-submit", retries=50)
