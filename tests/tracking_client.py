"""The tracking API in process: the same router the server's fast lane serves, over Starlette's test client.

Much cheaper than starting ``python main.py`` when a test sends many requests; the database, the write-key
check and the ingestion code are the real ones.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

with warnings.catch_warnings():  # Starlette suggests another HTTP package; the httpx-based client works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from app.access import api_keys as api_key_service
from app.core.context import AppContext


@contextmanager
def tracking_client(ctx: AppContext) -> Iterator[TestClient]:
    from app.api.tracking import router

    lane = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    lane.include_router(router)
    _info, key = api_key_service.create(ctx, "tests", actor="tests")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(lane, base_url="http://testserver/api/v1", headers=headers) as client:
        yield client
