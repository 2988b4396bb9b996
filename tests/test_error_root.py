"""One error root: every refusal Parcours raises on purpose is a ParcoursError of a kind with its HTTP status,
keeps the built-in base existing code catches, and one that escapes an API route is answered with that status."""

from __future__ import annotations

import ast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core import errors
from journeys.errors import ConflictError, InvalidError, NotFoundError, ParcoursError
from storage.journeys import KeyTaken, NotFound, StaleRevision
from tests.conftest import ROOT

# Exceptions that are not refusals of the user's request: internal signalling, outside failures, the CLI's exit.
NOT_REFUSALS = {
    "ParcoursError",
    "CliError",
    "TokenRefused",
    "BodyError",
    "CrmError",
    "Ignored",
    "Conflict",
    "WriteBackErrors",
}


def defined_exceptions() -> dict[str, list[str]]:
    """Class name -> base names, for every class in app/, journeys/ and storage/ whose name says it is an error."""
    found: dict[str, list[str]] = {}
    for folder in ("app", "journeys", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and node.bases:
                    bases = [ast.unparse(b) for b in node.bases]
                    if any(b.endswith(("Error", "Exception", "Refused")) or b == "LookupError" for b in bases):
                        found[f"{path.relative_to(ROOT)}:{node.name}"] = bases
    return found


def test_every_refusal_class_derives_from_the_root() -> None:
    kinds = {"ParcoursError", "InvalidError", "NotFoundError", "ConflictError"}
    builtin_only = {"ValueError", "LookupError", "RuntimeError", "Exception", "PermissionError", "KeyError"}
    strays = [
        name
        for name, bases in defined_exceptions().items()
        if name.split(":")[1] not in NOT_REFUSALS and set(bases) <= builtin_only and not set(bases) & kinds
    ]
    assert strays == []


def test_kinds_keep_the_builtin_bases_and_their_status() -> None:
    assert issubclass(KeyTaken, ConflictError) and issubclass(KeyTaken, ValueError)
    assert issubclass(NotFound, NotFoundError) and issubclass(NotFound, LookupError)
    assert issubclass(StaleRevision, ConflictError)
    assert (InvalidError.status, NotFoundError.status, ConflictError.status) == (422, 404, 409)


@pytest.mark.parametrize(
    ("raised", "status"),
    [(KeyTaken("cart", 3), 409), (NotFound("journey 9 does not exist"), 404), (InvalidError("name: required"), 422)],
)
def test_a_refusal_escaping_a_route_is_answered_with_its_status(raised: ParcoursError, status: int) -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/thing")
    def thing() -> None:
        raise raised

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/thing")
        assert (answer.status_code, answer.json()) == (status, {"detail": str(raised)})
        crashed = client.get("/crash")
        assert crashed.status_code == 500 and "a bug" not in crashed.text
