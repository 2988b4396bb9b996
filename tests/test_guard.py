"""Access is checked again at each click: demotion, deactivation and a password change take effect on the next
click of a tab that is already open; the refused click changes nothing and says why."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.access import auth
from app.access import policy as access
from app.access.auth import ADMIN, MARKETER
from app.access.guard import guarded
from app.authoring import service as svc
from app.core.context import current
from app.engine import experiments
from storage import experiments as experiment_store
from storage import journeys as journey_store
from storage import segments as segment_store
from tests.auth_helpers import PASSWORD, login
from tests.conftest import load_template_dict
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import experiment_doc

REFUSED = "Your role no longer allows this (it needs Marketer). Nothing was changed."
ENDED = "Your session has ended (account deactivated or password changed). Nothing was changed; please sign in again."


def _segment_names() -> list[str]:
    with current().db.session() as session:
        return [row.name for row in segment_store.list_segments(session)]


async def _open_segment_editor(user: User) -> str:
    email = await login(user, "marketer")
    auth.create_user(current(), email="boss@example.com", password=PASSWORD, role="admin", actor="test")
    await user.open("/segments")
    user.find(marker="segment-name").type("VIP")
    return email


async def test_demoted_marketer_cannot_save_a_segment_from_an_open_tab(user: User) -> None:
    email = await _open_segment_editor(user)
    auth.change_role(current(), email=email, role="viewer", actor="boss@example.com")
    user.find(marker="save").click()
    await user.should_see(REFUSED)
    assert _segment_names() == []


async def test_deactivated_marketer_cannot_save_a_segment_and_is_sent_to_sign_in(user: User) -> None:
    email = await _open_segment_editor(user)
    auth.set_active(current(), email=email, active=False, actor="boss@example.com")
    user.find(marker="save").click()
    await user.should_see(marker="session-ended")
    await user.should_see(marker="login-submit")
    assert _segment_names() == []


async def test_password_change_ends_the_open_tab_at_its_next_click(user: User) -> None:
    email = await _open_segment_editor(user)
    auth.set_password(current(), email=email, password="another long password", actor="boss@example.com")
    user.find(marker="save").click()
    await user.should_see(marker="login-submit")
    assert _segment_names() == []


async def _builder_with_one_edit(user: User) -> tuple[int, int]:
    await login(user, "marketer")
    auth.create_user(current(), email="boss@example.com", password=PASSWORD, role="admin", actor="test")
    journey_id = svc.import_journey(current(), load_template_dict("abandoned_cart"))
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="canvas").trigger("nodeAdded", {"type": "message.push", "x": 300, "y": 40})
    user.find(marker="undo").click()  # undone, so both undo and redo have something to do
    return journey_id, _revision(journey_id)


def _revision(journey_id: int) -> int:
    with current().db.session() as session:
        return journey_store.get_journey(session, journey_id=journey_id).revision


async def test_demoted_marketer_cannot_undo_or_redo_a_draft(user: User) -> None:
    journey_id, revision = await _builder_with_one_edit(user)
    auth.change_role(current(), email="marketer@example.com", role="viewer", actor="boss@example.com")
    user.find(marker="redo").click()
    user.find(marker="canvas").trigger("undo")
    user.find(marker="canvas").trigger("redo")
    await user.should_see(REFUSED)
    assert _revision(journey_id) == revision


async def test_deactivated_marketer_cannot_undo_a_draft_and_is_sent_to_sign_in(user: User) -> None:
    journey_id, revision = await _builder_with_one_edit(user)
    user.find(marker="redo").click()  # redo the step, so undo has work to do
    revision += 1
    auth.set_active(current(), email="marketer@example.com", active=False, actor="boss@example.com")
    user.find(marker="undo").click()
    await user.should_see(marker="login-submit")
    assert _revision(journey_id) == revision


async def test_viewer_click_cannot_revert_experiment_route(user: User) -> None:
    await login(user, "viewer")
    ctx = current()
    journey_id = publish(ctx, experiment_doc(name="Welcome series"))
    track(ctx, add_contacts(ctx, 3), "signup")
    with ctx.db.engine.begin() as conn:
        experiment_store.add_route(
            conn, journey_id=journey_id, version_id=1, node_id="split", winner="B", now=0, summary="x"
        )
    await user.open(f"/journeys/{journey_id}/analytics")
    [route] = experiments.routes(ctx, journey_id)
    revert = user.find(marker=f"revert-{route.id}")
    assert not next(iter(revert.elements)).enabled  # shown, but not offered to a viewer
    revert.trigger("click")  # what a hand-made websocket message would do
    await user.should_see(REFUSED)
    assert [r.active for r in experiments.routes(ctx, journey_id)] == [True]


async def test_a_handler_that_finds_it_needs_more_rights_tells_the_user_and_stops(user: User) -> None:
    """The guard admits a marketer; the handler's own check needs an admin: the user is told, nothing runs on,
    and no error escapes (handlers need no ``except PermissionError`` of their own)."""
    done: list[str] = []

    @guarded(MARKETER)
    def act() -> None:
        access.ensure(ADMIN)
        done.append("acted")

    ui.page("/guard-inner-check")(access.requires(MARKETER)(lambda: ui.button("Act", on_click=act).mark("act")))
    await login(user, "marketer")
    await user.open("/guard-inner-check")
    user.find(marker="act").click()
    await user.should_see("Not allowed")
    assert done == []
