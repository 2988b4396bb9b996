"""The home page lists journeys (browserless User fixture) and the real server serves it."""

from __future__ import annotations

import httpx
from nicegui.testing import User
from sqlalchemy import func
from sqlmodel import select

from app.authoring import service as svc
from app.core.context import current
from journeys import document
from storage.models import Contact
from tests.auth_helpers import login
from tests.conftest import load_template_dict


async def test_empty_state_explains_what_to_do(user: User) -> None:
    await login(user, "viewer")
    await user.open("/")
    await user.should_see("No journeys yet")


async def test_lists_imported_journeys_with_status(user: User) -> None:
    await login(user, "viewer")
    journey_id = svc.import_journey(current(), load_template_dict("flight_delay"))
    svc.publish(current(), journey_id)
    await user.open("/")
    await user.should_see("Flight-delay push")
    await user.should_see("live")


async def test_script_in_a_name_is_shown_as_text(user: User) -> None:
    await login(user, "viewer")
    doc = load_template_dict("flight_delay") | {"name": "<script>alert(1)</script>"}
    svc.import_journey(current(), document.parse(doc).model_dump(mode="json"))
    await user.open("/")
    await user.should_see("<script>alert(1)</script>")


def test_python_main_serves_home_page_on_fresh_sqlite(server) -> None:
    response = httpx.get(server.base_url + "/", timeout=10, follow_redirects=True)
    assert response.status_code == 200
    assert str(response.url).endswith("/setup")  # a fresh install first asks for the admin account
    assert "Parcours" in response.text


def test_health_over_real_http(server) -> None:
    response = httpx.get(server.base_url + "/api/v1/health", timeout=10)
    assert response.json() == {"status": "ok"}


async def test_a_viewer_cannot_duplicate_or_archive_a_journey(user: User) -> None:
    await login(user, "viewer")
    journey_id = svc.create_journey(current(), name="Welcome")
    await user.open("/")
    user.find(marker=f"duplicate-{journey_id}").click()
    await user.should_see("Your role no longer allows this (it needs Marketer). Nothing was changed.")
    user.find(marker=f"archive-{journey_id}").click()
    assert [(row.name, row.status) for row, _ in svc.list_overview(current())] == [("Welcome", "draft")]


async def test_a_viewer_cannot_load_the_demo_workspace(user: User) -> None:
    await login(user, "viewer")
    await user.open("/")
    user.find(marker="load-demo").click()
    await user.should_see("Your role no longer allows this (it needs Marketer). Nothing was changed.")
    with current().db.session() as session:
        assert session.exec(select(func.count()).select_from(Contact)).one() == 0


def test_registering_the_api_again_does_not_nest_the_lifespan() -> None:
    from fastapi import FastAPI

    from app.api import register_api

    api = FastAPI()
    before = api.router.lifespan_context
    register_api(api)
    register_api(api)
    assert api.router.lifespan_context is before
