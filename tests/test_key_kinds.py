"""Keys do one job: tracking (write) keys reach only what apps call; management tokens act with their own role."""

from __future__ import annotations

from alembic import command
from nicegui.testing import User
from sqlalchemy import text

from app.access import audit
from app.api.auth import MANAGEMENT_TOKEN_REFUSED, TRACKING_KEY_REFUSED
from app.core.context import AppContext, current
from app.privacy import gdpr
from storage import api_keys, migrate
from storage.db import Database
from tests.auth_helpers import create_account, login
from tests.conftest import run_cli
from tests.engine_support import add_contacts


def _tokens(ctx: AppContext) -> list[api_keys.KeyInfo]:
    with ctx.db.session() as session:
        return api_keys.list_keys(session, kind="management")


def _key(ctx: AppContext, kind: str = "tracking", role: str | None = None) -> tuple[api_keys.KeyInfo, dict[str, str]]:
    with ctx.db.session() as session:
        info, raw = api_keys.create_key(session, name=f"{kind} {role}", now=ctx.clock.now(), kind=kind, role=role)
    return info, {"Authorization": f"Bearer {raw}"}


async def test_tracking_key_cannot_export_or_erase_a_contact_or_read_the_outbox(user: User) -> None:
    ctx = current()
    create_account(ctx, "admin")
    add_contacts(ctx, 1)
    _info, key = _key(ctx)
    client = user.http_client
    for method, path in (
        ("GET", "/api/v1/contacts/user-1/export"),
        ("DELETE", "/api/v1/contacts/user-1"),
        ("GET", "/api/v1/outbox"),
    ):
        response = await client.request(method, path, headers=key)
        assert (response.status_code, response.json()["detail"]) == (403, TRACKING_KEY_REFUSED), path
    assert gdpr.find_contact(ctx, "user-1") is not None
    tracked = await client.post("/api/v1/track", json={"userId": "user-1", "event": "Opened"}, headers=key)
    assert tracked.status_code == 200, tracked.text


async def test_marketer_token_exports_and_erases_as_itself_and_records_its_use(user: User) -> None:
    ctx = current()
    create_account(ctx, "admin")
    add_contacts(ctx, 2)
    info, token = _key(ctx, "management", "marketer")
    assert _tokens(ctx)[0].last_used_at is None
    exported = await user.http_client.get("/api/v1/contacts/user-1/export", headers=token)
    assert exported.status_code == 200, exported.text
    erased = await user.http_client.delete("/api/v1/contacts/user-2", headers=token)
    assert erased.json()["erased"] is True
    assert gdpr.find_contact(ctx, "user-2") is None
    actors = {e.actor for e in audit.entries(ctx) if e.action.startswith("contact.")}
    assert actors == {f"api-token:{info.prefix}"}
    [listed] = _tokens(ctx)
    assert listed.last_used_at is not None and listed.last_used_at >= info.created_at


async def test_viewer_token_cannot_change_anything_and_no_token_sends_tracking_calls(user: User) -> None:
    ctx = current()
    create_account(ctx, "admin")
    add_contacts(ctx, 1)
    _info, viewer = _key(ctx, "management", "viewer")
    _info, marketer = _key(ctx, "management", "marketer")
    refused = await user.http_client.delete("/api/v1/contacts/user-1", headers=viewer)
    assert (refused.status_code, refused.json()["detail"]) == (403, "this needs the marketer role")
    assert gdpr.find_contact(ctx, "user-1") is not None
    for path in ("/api/v1/track", "/api/v1/contacts/user-1/in-app", "/api/v1/messages/m1/events"):
        method = "GET" if path.endswith("in-app") else "POST"
        response = await user.http_client.request(method, path, headers=marketer, json={})
        assert (response.status_code, response.json()["detail"]) == (403, MANAGEMENT_TOKEN_REFUSED), path


async def test_enroll_and_consent_take_a_tracking_key_or_a_marketer_token_not_a_viewer_token(user: User) -> None:
    ctx = current()
    create_account(ctx, "admin")
    add_contacts(ctx, 1)
    _info, key = _key(ctx)
    _info, viewer = _key(ctx, "management", "viewer")
    _info, marketer = _key(ctx, "management", "marketer")
    consent = {"channel": "email", "status": "unsubscribed"}
    for headers, status in ((key, 200), (marketer, 200), (viewer, 403)):
        response = await user.http_client.post("/api/v1/contacts/user-1/consent", json=consent, headers=headers)
        assert response.status_code == status, response.text
        enroll = await user.http_client.post("/api/v1/journeys/999/enroll", json={"external_id": "x"}, headers=headers)
        assert enroll.status_code == (404 if status == 200 else 403), enroll.text


async def test_a_revoked_token_is_refused(user: User) -> None:
    ctx = current()
    create_account(ctx, "admin")
    info, token = _key(ctx, "management", "marketer")
    assert (await user.http_client.get("/api/v1/outbox", headers=token)).status_code == 200
    with ctx.db.session() as session:
        api_keys.revoke_key(session, key_id=info.id, now=ctx.clock.now(), kind="management")
    assert (await user.http_client.get("/api/v1/outbox", headers=token)).status_code == 401


def test_a_token_with_an_admin_role_cannot_be_created(ctx: AppContext) -> None:
    with ctx.db.session() as session:
        for role in ("admin", None):
            try:
                api_keys.create_key(session, name="root", now=ctx.clock.now(), kind="management", role=role)
            except ValueError as exc:
                assert str(exc).startswith("role:")
            else:
                raise AssertionError(f"a {role} token was created")


def test_existing_keys_migrate_as_tracking_keys(settings) -> None:  # noqa: ANN001
    db = Database(settings.database_url)
    command.upgrade(migrate.alembic_config(db.engine), "0002_audience")  # the schema before key kinds
    legacy = "pk_legacy1-shipped-in-an-app"
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO api_key (name, prefix, key_hash, created_at) VALUES ('ios', 'pk_legacy1', :h, :c)"),
            {"h": api_keys.hash_key(legacy), "c": "2026-01-01 00:00:00.000000"},
        )
    migrate.upgrade(db.engine)
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT kind, role, last_used_at FROM api_key")).all() == [("tracking", None, None)]
    with db.session() as session:
        assert api_keys.find_active_key(session, raw=legacy) is not None
    db.dispose()


def test_token_cli_creates_lists_and_revokes_and_keeps_apikey_for_tracking_keys(ctx: AppContext) -> None:
    created = run_cli("token", "create", "CRM sync", "--role", "marketer")
    assert created.returncode == 0, created.stderr
    raw = created.stdout.strip()
    assert raw.startswith("pm_")
    assert run_cli("token", "create", "root", "--role", "admin").returncode == 2
    listed = run_cli("token", "list").stdout
    assert "marketer" in listed and "never used" in listed and raw not in listed
    assert "no API keys yet" in run_cli("apikey", "list").stdout  # tokens are not tracking keys
    assert run_cli("apikey", "create", "ios").stdout.startswith("pk_")
    assert run_cli("apikey", "revoke", "1").returncode == 1  # id 1 is the token, not a tracking key
    assert run_cli("token", "revoke", "1").returncode == 0
    assert "revoked" in run_cli("token", "list").stdout
    actions = [(e.actor, e.action) for e in audit.entries(ctx)]
    assert ("cli", "token.create") in actions and ("cli", "token.revoke") in actions


async def test_admin_creates_a_token_with_a_role_shown_once_then_listed_and_revoked(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    user.find(marker="token-name").type("CRM sync")
    user.find(marker="token-role").elements.pop().value = "marketer"
    user.find(marker="token-create").click()
    await user.should_see(marker="token-raw")
    raw = user.find(marker="token-raw").elements.pop().value
    ctx = current()
    [token] = _tokens(ctx)
    assert (token.role, raw.startswith(token.prefix)) == ("marketer", True)
    [entry] = audit.entries(ctx, action="token.create")
    assert (entry.actor, entry.details["role"]) == ("owner@example.com", "marketer")
    await user.open("/settings")
    await user.should_see(f"{token.prefix}…")
    await user.should_not_see(marker="token-raw")
    user.find(marker=f"token-revoke-{token.id}").click()
    await user.should_see("Token revoked.")
    assert [e.target for e in audit.entries(ctx, action="token.revoke")] == [str(token.id)]
