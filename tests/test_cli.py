"""The CLI as a user runs it: real subprocesses against this test's SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from journeys import document
from tests.conftest import ROOT, load_template_dict, run_cli

TEMPLATE = ROOT / "journeys" / "templates" / "abandoned_cart.json"


def journey_count() -> int:
    result = run_cli("journey", "list")
    assert result.returncode == 0, result.stderr
    return 0 if "no journeys yet" in result.stdout else len(result.stdout.strip().splitlines())


def test_validate_valid_file_exits_zero() -> None:
    result = run_cli("journey", "validate", str(TEMPLATE))
    assert result.returncode == 0
    assert "valid" in result.stdout


def test_validate_lists_each_violation_on_its_own_line(tmp_path: Path) -> None:
    doc = load_template_dict("abandoned_cart")
    doc["edges"] = [e for e in doc["edges"] if e["source"] != "email"]
    doc["nodes"].append({"id": "stray", "type": "teleport"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = run_cli("journey", "validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert any("node email: [dead_end]" in line for line in lines)
    assert any("node stray: [unknown_type]" in line for line in lines)
    assert all(line.startswith(str(path)) for line in lines)


def test_import_export_round_trip_is_identical(tmp_path: Path) -> None:
    result = run_cli("journey", "import", str(TEMPLATE))
    assert result.returncode == 0, result.stderr
    journey_id = result.stdout.strip()
    assert journey_id.isdigit()
    out = tmp_path / "out.json"
    assert run_cli("journey", "export", journey_id, "-o", str(out)).returncode == 0
    # The export adds the key the journey was given (from its name), so the file can be applied back.
    keyed = document.dumps(document.parse({**json.loads(TEMPLATE.read_text()), "key": "abandoned-cart-sms-then-email"}))
    assert out.read_text() == keyed
    assert run_cli("journey", "export", journey_id).stdout == keyed


def test_importing_twice_creates_two_drafts() -> None:
    first = run_cli("journey", "import", str(TEMPLATE)).stdout.strip()
    second = run_cli("journey", "import", str(TEMPLATE)).stdout.strip()
    assert first != second
    assert journey_count() == 2
    assert json.loads(run_cli("journey", "export", first).stdout)["nodes"] == json.loads(TEMPLATE.read_text())["nodes"]


def test_list_shows_id_status_and_name() -> None:
    run_cli("journey", "import", str(TEMPLATE))
    assert run_cli("journey", "list").stdout.strip() == "1\tdraft\t-\tAbandoned cart: SMS, then email"


def _assert_refused(path: Path, expected: str) -> None:
    result = run_cli("journey", "import", str(path))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: {path}"), result.stderr
    assert expected in last, last
    assert "Traceback" not in result.stderr
    assert journey_count() == 0


def test_import_not_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("name: not json\n")
    _assert_refused(path, "line 1 column 1: not valid JSON")


def test_import_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(" " * (5 * 1024 * 1024 + 10))
    _assert_refused(path, "the limit is 5,242,880")


def test_import_wrong_schema_version(tmp_path: Path) -> None:
    doc = load_template_dict("abandoned_cart") | {"schema_version": 7}
    path = tmp_path / "v7.json"
    path.write_text(json.dumps(doc))
    _assert_refused(path, "schema_version: unsupported schema_version 7")


def test_import_config_of_wrong_type(tmp_path: Path) -> None:
    doc = load_template_dict("abandoned_cart")
    doc["nodes"][1]["config"]["timeout"] = "one hour"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = run_cli("journey", "import", str(path))
    assert "node wait_1h: [invalid_config] timeout:" in result.stderr
    _assert_refused(path, "not imported, 1 problem(s)")


def test_missing_file_is_one_line() -> None:
    result = run_cli("journey", "validate", "/nonexistent/journey.json")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: /nonexistent/journey.json: cannot read file (No such file or directory)"


def test_export_unknown_journey() -> None:
    result = run_cli("journey", "export", "42")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: journey 42 does not exist"


def test_schema_is_json_schema() -> None:
    result = run_cli("journey", "schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Parcours journey document"
    assert "SplitNode" in schema["$defs"]
