"""``python main.py user ...`` as an operator runs it, in real subprocesses against this test's database."""

from __future__ import annotations

import subprocess
import sys

from app.access import audit, auth
from app.core import context
from tests.conftest import ROOT, child_env, run_cli

PASSWORD = "correct horse battery staple"


def run_with_stdin(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )


def test_create_admin_from_stdin_then_sign_in(settings) -> None:
    result = run_with_stdin(
        "user", "create", "Root@Example.com", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "created root@example.com (admin)"
    assert PASSWORD not in result.stdout + result.stderr
    ctx = context.init(settings)
    assert auth.login(ctx, email="root@example.com", password=PASSWORD).role == "admin"
    assert [(e.actor, e.action) for e in audit.entries(ctx, action="user.create")] == [("cli", "user.create")]


def test_list_and_set_role(settings) -> None:
    run_with_stdin(
        "user", "create", "ana@example.com", "--role", "viewer", "--name", "Ana", "--password-stdin", stdin=PASSWORD
    )
    assert run_cli("user", "set-role", "ana@example.com", "marketer").returncode == 0
    listed = run_cli("user", "list")
    assert listed.stdout.split("\t")[:3] == ["ana@example.com", "marketer", "active"]


def test_short_password_is_a_one_line_error_and_creates_nothing() -> None:
    result = run_with_stdin("user", "create", "ana@example.com", "--password-stdin", stdin="short\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: password: at least 10 characters are required"
    assert "no users yet" in run_cli("user", "list").stdout


def test_unknown_account_and_bad_role_are_clear_errors() -> None:
    missing = run_cli("user", "set-role", "ghost@example.com", "admin")
    assert (missing.returncode, missing.stderr.strip()) == (1, "error: email: no account for ghost@example.com")
    bad = run_cli("user", "set-role", "ghost@example.com", "owner")
    assert bad.returncode == 2 and "invalid choice: 'owner'" in bad.stderr


def test_the_last_admin_cannot_be_deactivated_from_the_cli() -> None:
    run_with_stdin("user", "create", "root@example.com", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    result = run_cli("user", "deactivate", "root@example.com")
    assert result.returncode == 1 and "last active admin" in result.stderr
