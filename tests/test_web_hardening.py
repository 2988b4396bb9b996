"""The real server's answers carry security headers, its session cookie and socket.io follow the public URL,
and the files it creates are readable by their owner only."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from nicegui import __version__

from app.core.settings import Settings
from tests.auth_helpers import seed_account, signed_in_page
from tests.browser import chromium

PUBLIC = "https://parcours.example.com"
HANDSHAKE = "/_nicegui_ws/socket.io/?EIO=4&transport=polling"
EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}
CSP_DIRECTIVES = ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'")


@pytest.fixture
def public_server(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):  # noqa: ANN201
    monkeypatch.setenv("PARCOURS_PUBLIC_URL", PUBLIC)
    return request.getfixturevalue("server")


def test_pages_api_static_and_tracking_lane_carry_security_headers(public_server) -> None:
    base = public_server.base_url
    answers = {
        "page": httpx.get(base + "/setup"),
        "api": httpx.get(base + "/api/v1/health"),
        "api refusal": httpx.get(base + "/api/v1/contacts/1/export"),
        "static": httpx.get(f"{base}/_nicegui/{__version__}/static/nicegui.js"),
        "tracking lane": httpx.post(base + "/api/v1/track", json={}),
        "not found": httpx.get(base + "/no-such-page"),
    }
    for name, answer in answers.items():
        for header, value in EXPECTED.items():
            assert answer.headers.get(header) == value, f"{name}: {header}"
        policy = answer.headers.get("content-security-policy", "")
        assert all(d in policy for d in CSP_DIRECTIVES), f"{name}: {policy}"
    assert answers["tracking lane"].status_code == 401  # the lane still answers itself


def test_session_cookie_is_secure_when_the_public_url_is_https(public_server) -> None:
    answer = httpx.get(public_server.base_url + "/setup")
    cookie = answer.headers["set-cookie"].lower()
    assert "session=" in cookie and "; secure" in cookie and "httponly" in cookie


def test_secure_cookie_setting_follows_the_public_url_unless_forced() -> None:
    assert not Settings(public_url="http://10.0.0.5:8080").secure_cookies_enabled()
    assert Settings(public_url=PUBLIC).secure_cookies_enabled()
    assert Settings(public_url="http://10.0.0.5:8080", secure_cookies=True).secure_cookies_enabled()
    assert not Settings(public_url=PUBLIC, secure_cookies=False).secure_cookies_enabled()


def test_socket_io_refuses_a_foreign_origin_and_accepts_the_public_one(public_server) -> None:
    url = public_server.base_url + HANDSHAKE
    foreign = httpx.get(url, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 400 and "not an accepted origin" in foreign.text
    assert httpx.get(url, headers={"Origin": PUBLIC}).status_code == 200


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only  # the database file is SQLite's; PostgreSQL keeps its own
def test_database_secret_and_session_files_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.delenv("PARCOURS_SECRET")  # the server generates data/secret.key itself
    seed_account(request.getfixturevalue("settings"), "marketer", "marketer@example.com")
    server = request.getfixturevalue("server")
    same_origin = httpx.get(server.base_url + HANDSHAKE, headers={"Origin": server.base_url})
    assert same_origin.status_code == 200  # without a public URL the server's own origin is the one allowed
    assert httpx.get(server.base_url + HANDSHAKE, headers={"Origin": "http://evil.example"}).status_code == 400
    with chromium() as browser:
        signed_in_page(browser, server.base_url, "marketer")  # writes the user's session storage
    files = [tmp_path / "data" / "secret.key", *tmp_path.glob("parcours.db*"), *(tmp_path / ".nicegui").glob("*")]
    names = {f.name for f in files}
    assert {"secret.key", "parcours.db", "parcours.db-wal", "parcours.db-shm"} <= names
    assert any(n.startswith("storage-user-") for n in names), names
    assert {f.name: oct(_mode(f)) for f in files if _mode(f) & 0o077} == {}
