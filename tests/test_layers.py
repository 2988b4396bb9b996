"""The layers hold: the journey core imports no database, UI or application code; storage imports no
application code; components receive what they need instead of importing the application."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {
    "journeys": {"storage", "app", "nicegui", "sqlalchemy", "sqlmodel", "fastapi", "components"},
    "storage": {"app", "nicegui", "components"},
    "components": {"app", "storage"},
}


def imported_roots(path: Path) -> set[tuple[int, str]]:
    """(line, top-level package) of every import in a file, at any depth (lazy imports count too)."""
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.lineno, node.module.split(".")[0]))
    return found


def crossings(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for line, root in sorted(imported_roots(path)):
            if root in FORBIDDEN[package]:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {root}")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package: str) -> None:
    assert crossings(package) == []


def test_the_check_sees_a_crossing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from app.i18n import t\n    import sqlalchemy.orm\n", encoding="utf-8")
    assert imported_roots(bad) == {(2, "app"), (3, "sqlalchemy")}
