"""A crash shows a generic page (or JSON for the API) with an error id; the details go to the log only."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from fastapi import Depends
from nicegui import app as nicegui_app
from nicegui import ui
from nicegui.testing import User

from app.access.policy import public, public_api

SECRET_DETAIL = "password=hunter2 in /srv/parcours/app/thing.py"


def _crash() -> None:
    raise RuntimeError(SECRET_DETAIL)


async def _get(path: str) -> httpx.Response:
    """A request the way a browser sees it: the response, not the re-raised exception behind it."""
    transport = httpx.ASGITransport(app=nicegui_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_a_crashing_page_shows_only_an_error_id_that_the_log_explains(
    user: User, caplog: pytest.LogCaptureFixture
) -> None:
    ui.page("/crash-for-test")(public(_crash))
    await user.open("/login")  # the app is started
    with caplog.at_level(logging.ERROR, logger="parcours.errors"):
        answer = await _get("/crash-for-test")
    assert answer.status_code == 500
    assert SECRET_DETAIL not in answer.text and "RuntimeError" not in answer.text
    assert "Something went wrong" in answer.text
    error_id = re.search(r"Error id: ([0-9a-f]{12})", answer.text).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None and SECRET_DETAIL in str(logged[0].exc_info[1])
    caplog.clear()  # the error log was expected here


async def test_a_crashing_api_route_answers_json_with_an_error_id(user: User, caplog: pytest.LogCaptureFixture) -> None:
    nicegui_app.add_api_route("/api/v1/crash-for-test", _crash, dependencies=[Depends(public_api)])
    await user.open("/login")  # the app is started
    with caplog.at_level(logging.ERROR, logger="parcours.errors"):
        answer = await _get("/api/v1/crash-for-test")
    assert answer.status_code == 500
    body = answer.json()
    assert body["detail"] == "internal server error" and re.fullmatch(r"[0-9a-f]{12}", body["error_id"])
    assert SECRET_DETAIL not in answer.text
    assert any(body["error_id"] in r.getMessage() and r.exc_info for r in caplog.records)
    caplog.clear()  # the error log was expected here
