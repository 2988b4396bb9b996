"""REST API under /api/v1. Every module in this package that defines ``router`` (a FastAPI APIRouter) is
included, so adding an API area touches no shared file."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI


def register_api(app: FastAPI) -> None:
    import app.api as package

    # FastAPI wraps the app's lifespan once per include_router. Our routers have no lifespan of their own, so
    # keep the app's: otherwise every rebuild (the test harness rebuilds the app per test) nests it deeper
    # until Python's recursion limit is hit.
    lifespan = app.router.lifespan_context
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    app.router.lifespan_context = lifespan
