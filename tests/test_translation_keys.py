"""Every translation key in the code is a literal: a scan lists them all and finds each in both catalogs.

The scan reads the syntax trees of app/ and components/. A ``t``/``tn`` call names its key as a string literal
(or a choice between literals), or passes on a key held in a name, attribute or table entry; the literal then
sits in a table such as ``app/wording_keys.py``, and every string constant shaped like a key of a catalog area
(``funnels.metric.sent``) is listed too. No key is built from pieces (an f-string, ``+``, ``format``), apart
from the node-type sites below, whose texts move into the node modules.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from app import wording_keys
from app.i18n import LANGUAGES, tables

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")
# Node-type texts (a step's name and help) are looked up by node type until they live in the node modules.
NODE_TYPE_SITES = {
    ("app/pages/builder/panel.py", "f'builder.node.{node_type}'"),
    ("app/pages/builder/panel.py", "f'builder.node_help.{node_type}'"),
    ("app/pages/builder/review.py", "f'builder.node.{node.type}'"),
    ("app/analytics/words.py", "f'builder.node.{kind}'"),
    ("components/canvas_view.py", "f'builder.node.{node.type}'"),
    ("components/canvas_view.py", "f'builder.node.{s.type}'"),
    ("components/canvas_view.py", "f'builder.node_help.{s.type}'"),
    ("components/canvas_view.py", "f'builder.category.{s.category}'"),
    ("components/canvas_view.py", "f'builder.port.{port.name}'"),
}
# f-strings that start like a key of a catalog area but are not translation keys.
NOT_KEYS = {
    ("app/integrations/crm/config.py", "f'crm.{name}'"),  # the setting a CRM's configuration is stored under
    ("app/integrations/crm/config.py", "f'crm.{name}.state'"),
}
PASSED_ON = (ast.Name, ast.Attribute, ast.Subscript)


def trees() -> Iterator[tuple[str, ast.Module]]:
    for folder in ("app", "components"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "node_modules" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def translate_calls(tree: ast.Module) -> Iterator[tuple[str, ast.expr]]:
    """``(function, key argument)`` of every ``t(...)``/``tn(...)`` call, bare or as ``module.t``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("t", "tn"):
                yield name, node.args[0]


def passed_on(expr: ast.expr) -> bool:
    """A key held in a name, an attribute or a table entry (``KEYS[x]``, ``KEYS.get(x, "a.b")``)."""
    return isinstance(expr, PASSED_ON) or isinstance(expr, ast.Call) and getattr(expr.func, "attr", "") == "get"


def literals(expr: ast.expr) -> list[str] | None:
    """The keys a literal key argument can be (``"a.b"``, or ``"a.b" if x else "a.c"``); None if it is not one."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        body, orelse = literals(expr.body), literals(expr.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def areas() -> set[str]:
    return {key.split(".")[0] for key in tables()["en"]}


def audit_actions(tree: ast.Module) -> set[int]:
    """The ids of the action codes given to ``audit.record`` (``settings.save``, or a choice between two such
    codes): codes, not translation keys."""
    return {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "audit.record" and len(node.args) > 2
        for part in ast.walk(node.args[2])
    }


def node_text_key(expr: ast.expr) -> bool:
    """A key the node registry gives (``journeys.nodes.text_key``): tests/test_node_types.py checks those texts."""
    return isinstance(expr, ast.Call) and ast.unparse(expr.func).split(".")[-1] == "text_key"


def scan(sources: Iterator[tuple[str, ast.Module]] | None = None) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """Keys called literally (by function), key-shaped constants of a catalog area, and keys built from pieces."""
    called: dict[str, set[str]] = {"t": set(), "tn": set()}
    constants: set[str] = set()
    built: set[str] = set()
    prefixes = tuple(f"{area}." for area in areas())
    for where, tree in sources or trees():
        for function, expr in translate_calls(tree):
            keys = literals(expr)
            if keys is not None:
                called[function].update(keys)
            elif not passed_on(expr) and not node_text_key(expr) and (where, ast.unparse(expr)) not in NODE_TYPE_SITES:
                built.add(f"{where}:{expr.lineno}: {ast.unparse(expr)}")
        actions = audit_actions(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.fullmatch(node.value):
                if node.value.startswith(prefixes) and id(node) not in actions:
                    constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and (where, ast.unparse(node)) not in NODE_TYPE_SITES | NOT_KEYS:
                head = node.values[0] if node.values else None
                if isinstance(head, ast.Constant) and str(head.value).startswith(prefixes):
                    built.add(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return called, constants, built


def test_no_key_is_built_from_pieces_outside_the_node_type_sites() -> None:
    _, _, built = scan()
    assert sorted(built) == []


def test_every_key_the_code_names_exists_in_every_language() -> None:
    called, constants, _ = scan()
    assert len(called["t"]) > 500 and len(called["tn"]) > 5 and len(constants) > 800  # the scan finds the keys
    for code in LANGUAGES:
        table = tables()[code]
        assert sorted(k for k in called["t"] if not isinstance(table.get(k), str)) == [], code
        assert sorted(k for k in called["tn"] if not isinstance(table.get(k), dict)) == [], code
        assert sorted(k for k in constants if k not in table) == [], code


def test_the_scan_catches_a_built_key_and_a_missing_one() -> None:
    code = """
t(f"role.{name}")
t("channel." + name)
label = f"funnels.metric.{name}"
t("x.a" if y else "x.b")
t(KEYS[name])
t(KEYS.get(name, "contacts.consent.unknown"))
tn("wording.nope", 2)
ROLE = {"admin": "role.administrator"}
audit.record(ctx, actor, "settings.save", "x")
"""
    called, constants, built = scan(iter([("app/x.py", ast.parse(code))]))
    assert sorted(built) == [
        "app/x.py:2: f'role.{name}'",
        "app/x.py:3: 'channel.' + name",
        "app/x.py:4: f'funnels.metric.{name}'",
    ]
    assert called == {"t": {"x.a", "x.b"}, "tn": {"wording.nope"}}
    assert constants == {"contacts.consent.unknown", "role.administrator", "wording.nope"}  # not the audit action
    assert not isinstance(tables()["en"].get("wording.nope"), dict) and "role.administrator" not in tables()["en"]


def test_every_key_of_the_wording_tables_exists_in_every_language() -> None:
    tables_ = (
        wording_keys.SUMMARY_KEYS,
        wording_keys.PROBLEM_KEYS,
        wording_keys.DURATION_KEYS,
        wording_keys.AUTH_KEYS,
    )
    keys = {key for table in tables_ for key in table.values()}
    for code in LANGUAGES:
        table = tables()[code]
        for key in keys:
            plural = key in wording_keys.PLURAL_KEYS
            assert isinstance(table.get(key), dict if plural else str), (code, key)
    called, _, _ = scan()
    defined = {k for k in tables()["en"] if k.startswith("wording.")}
    assert defined == {k for k in keys | called["t"] | called["tn"] if k.startswith("wording.")}  # none unreachable


def test_every_choice_taken_from_the_core_has_a_name() -> None:
    """Tables of names for values the pure core defines: a value added there without a name fails here."""
    from app.access import auth
    from app.audience import segment_builder
    from app.authoring import service as journey_service
    from app.conversations import inbox
    from app.pages.admin_quarantine import KIND_KEYS
    from journeys.validation import CODES
    from storage.conversation_models import AUTHORS, CONVERSATION_STATUSES
    from storage.models import JOURNEY_STATUSES
    from storage.quarantine import KINDS
    from storage.trust_models import ROLES

    assert set(segment_builder.OP_KEYS) >= {*segment_builder.ATTRIBUTE_OPS, *segment_builder.SEEN_OPS}
    assert set(segment_builder.OP_KEYS) >= set(segment_builder.CHOICE_OPS)
    assert set(segment_builder.KIND_KEYS) == set(segment_builder.KINDS)
    assert set(segment_builder.UNIT_KEYS) == set(segment_builder.UNITS)
    assert set(wording_keys.VIOLATION_KEYS) == set(CODES)
    assert set(KIND_KEYS) == set(KINDS) and set(auth.ROLE_KEYS) == set(auth.LEVELS) >= set(ROLES)
    assert set(journey_service.STATUS_KEYS) == set(JOURNEY_STATUSES)
    assert set(inbox.STATUS_KEYS) == set(CONVERSATION_STATUSES) and set(inbox.AUTHOR_KEYS) == set(AUTHORS)
    assert set(inbox.CHANNEL_KEYS) == set(inbox.CHANNELS)
