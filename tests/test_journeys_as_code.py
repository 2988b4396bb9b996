"""Journeys kept as code: `journey apply`, `diff`, `publish`, `pause`, `resume` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.authoring import service as svc
from journeys import document
from journeys.diff import diff, render
from storage import journeys as store
from tests.conftest import load_template_dict, run_cli


def cart(**changes: Any) -> dict[str, Any]:
    return {**load_template_dict("abandoned_cart"), "key": "cart-recovery", **changes}


def write(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


def state(ctx) -> tuple[int, int, list[int], str]:  # noqa: ANN001
    """(journey count, draft revision, version numbers, updated_at) of the journey keyed cart-recovery."""
    with ctx.db.session() as session:
        journey = store.find_by_key(session, key="cart-recovery")
        assert journey is not None
        versions = [v.version for v in store.list_versions(session, journey_id=journey.id)]
        return len(store.list_journeys(session)), journey.revision, versions, journey.updated_at.isoformat()


def second_version(doc: dict[str, Any]) -> dict[str, Any]:
    """A push added after the SMS, the 'bought late' exit removed (its edge moved to 'done'), the first wait
    lengthened from 1 to 2 hours."""
    doc = json.loads(json.dumps(doc))
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != "bought_late"]
    wait = next(n for n in doc["nodes"] if n["id"] == "wait_1h")
    wait["config"]["timeout"]["amount"] = 2
    doc["nodes"].append({"id": "push", "type": "message.push", "name": "Push", "config": {"body": "Still there?"}})
    kept = [
        e for e in doc["edges"] if (e["source"], e["target"]) not in {("sms", "wait_24h"), ("wait_24h", "bought_late")}
    ]
    doc["edges"] = [
        *kept,
        {"source": "sms", "target": "push", "port": "next"},
        {"source": "push", "target": "wait_24h", "port": "next"},
        {"source": "wait_24h", "target": "done", "port": "event"},
    ]
    return doc


def test_applying_the_same_file_twice_changes_nothing(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(tmp_path / "cart.json", cart())
    first = run_cli("journey", "apply", path, "--publish")
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout and "published version 1" in first.stdout
    before = state(ctx)
    assert before[:3] == (1, 1, [1])
    again = run_cli("journey", "apply", path, "--publish")
    assert (again.returncode, again.stdout.strip()) == (0, "journey 1 (cart-recovery): unchanged")
    assert state(ctx) == before


def test_apply_updates_the_draft_and_publish_publishes_a_new_version(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    run_cli("journey", "apply", write(tmp_path / "v1.json", cart()), "--publish")
    changed = cart()
    changed["nodes"][1]["name"] = "Wait an hour"
    path = write(tmp_path / "v2.json", changed)
    result = run_cli("journey", "apply", path)
    assert result.returncode == 0, result.stderr
    assert 'node wait_1h: name: "Wait 1 hour for a purchase" -> "Wait an hour"' in result.stdout
    assert state(ctx)[1:3] == (2, [1])  # a new draft revision, nothing published yet
    published = run_cli("journey", "apply", path, "--publish")
    assert "published version 2" in published.stdout
    assert state(ctx)[1:3] == (2, [2, 1])
    exported = json.loads(run_cli("journey", "export", "cart-recovery", "--version", "2").stdout)
    assert (exported["key"], exported["nodes"][1]["name"]) == ("cart-recovery", "Wait an hour")


def test_diff_of_two_versions_lists_exactly_the_changes(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    run_cli("journey", "apply", write(tmp_path / "v1.json", cart()), "--publish")
    run_cli("journey", "apply", write(tmp_path / "v2.json", second_version(cart())), "--publish")
    result = run_cli("journey", "diff", "cart-recovery@1", "cart-recovery@2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "+ node push",
        "- node bought_late",
        "~ node wait_1h: config.timeout.amount: 1 -> 2",
        "+ edge push:next->wait_24h",
        "+ edge sms:next->push",
        "+ edge wait_24h:event->done",
        "- edge sms:next->wait_24h",
        "- edge wait_24h:event->bought_late",
    ]
    as_json = json.loads(run_cli("journey", "diff", "1@1", str(tmp_path / "v2.json"), "--json").stdout)
    assert (as_json["nodes_added"], as_json["nodes_removed"]) == (["push"], ["bought_late"])
    assert as_json["nodes_changed"] == [
        {"id": "wait_1h", "changes": [{"field": "config.timeout.amount", "before": 1, "after": 2}]}
    ]


def test_diff_reports_moved_nodes_only_as_layout() -> None:
    before = document.parse(cart())
    moved = cart()
    moved["nodes"][2]["position"] = {"x": 999, "y": 5}
    result = diff(before, document.parse(moved))
    assert not result.changed
    assert render(result) == ["(1 node(s) moved on the canvas; --layout shows them)"]
    assert render(result, layout=True)[0].startswith("~ layout sms: ")


def test_pause_and_resume_by_key(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    run_cli("journey", "apply", write(tmp_path / "cart.json", cart()), "--publish")
    assert run_cli("journey", "pause", "cart-recovery").stdout.strip() == "journey 1: paused"
    again = run_cli("journey", "pause", "cart-recovery")
    assert (again.returncode, again.stderr.strip()) == (1, "error: journey 1: cannot pause a journey that is paused")
    assert run_cli("journey", "resume", "1").stdout.strip() == "journey 1: live"
    missing = run_cli("journey", "resume", "no-such-journey")
    assert (missing.returncode, missing.stderr.strip()) == (1, "error: no journey with id or key 'no-such-journey'")


def test_publish_refuses_an_invalid_graph_and_writes_nothing(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    run_cli("journey", "apply", write(tmp_path / "v1.json", cart()), "--publish")
    before = state(ctx)
    broken = cart()
    broken["edges"] = [e for e in broken["edges"] if e["source"] != "email"]
    path = write(tmp_path / "broken.json", broken)
    result = run_cli("journey", "apply", path, "--publish")
    assert result.returncode == 1
    assert f"{path}: node email: [dead_end]" in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1] == f"error: {path}: not applied, 2 problem(s)"
    )  # dead end, and 'done' unreachable
    assert "Traceback" not in result.stderr
    assert state(ctx) == before


def test_apply_names_a_missing_or_malformed_key(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    no_key = write(tmp_path / "nokey.json", load_template_dict("abandoned_cart"))
    result = run_cli("journey", "apply", no_key)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {no_key}: key: missing")
    bad = write(tmp_path / "bad.json", cart(key="Cart Recovery!"))
    result = run_cli("journey", "apply", bad)
    assert result.returncode == 1 and result.stderr.startswith(f"error: {bad}: key: String should match pattern")
    with ctx.db.session() as session:
        assert store.list_journeys(session) == []


def test_export_gives_a_keyless_journey_a_key_that_apply_matches(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    exported = svc.export_journey(ctx, journey_id)
    assert json.loads(exported)["key"] == "abandoned-cart-sms-then-email"
    assert svc.export_journey(ctx, journey_id) == exported  # the key is kept, not made again
    path = tmp_path / "exported.json"
    path.write_text(exported)
    result = run_cli("journey", "apply", str(path))
    assert result.stdout.strip() == f"journey {journey_id} (abandoned-cart-sms-then-email): unchanged"


def test_import_refuses_a_key_another_journey_holds(ctx) -> None:  # noqa: ANN001
    svc.import_journey(ctx, cart())
    try:
        svc.import_journey(ctx, cart())
    except svc.DocumentError as exc:
        assert exc.location == "key" and "already used by journey 1" in exc.reason
    else:
        raise AssertionError("a second journey with the same key was imported")


def test_two_applies_of_one_new_key_at_once_make_one_journey(ctx) -> None:  # noqa: ANN001
    """Two deploys applying the same new file at the same moment: both succeed, one journey exists."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from app.authoring import apply as journey_apply

    for round_no in range(6):
        doc = cart(key=f"deploy-{round_no}")
        start = Barrier(2)

        def deploy(doc: dict[str, Any] = doc, start: Barrier = start) -> bool:
            start.wait()
            return journey_apply.apply(ctx, json.dumps(doc), publish=True).created

        with ThreadPoolExecutor(2) as pool:
            created = sorted(f.result() for f in [pool.submit(deploy), pool.submit(deploy)])
        assert created == [False, True]
        with ctx.db.session() as session:
            journey = store.find_by_key(session, key=f"deploy-{round_no}")
            assert journey is not None
            assert [v.version for v in store.list_versions(session, journey_id=journey.id)] == [1]
    with ctx.db.session() as session:
        assert len(store.list_journeys(session)) == 6
