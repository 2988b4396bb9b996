"""Wiring of the web process: pages, API routes, startup and shutdown."""

from __future__ import annotations

from nicegui import app as nicegui_app
from nicegui import ui

from app.access import keys
from app.core import context, web_security
from app.core.settings import Settings, get_settings


def build(settings: Settings) -> None:
    """Register everything on the NiceGUI app. Safe to call again (the test harness resets routes)."""
    from app.access import policy as access
    from app.api import fast_lane, register_api
    from app.core import errors
    from app.pages import register_pages

    register_pages()
    register_api(nicegui_app)
    access.install(nicegui_app)  # deny by default: every route must declare who may reach it
    errors.install(nicegui_app)
    fast_lane.install(nicegui_app)
    web_security.install_headers(nicegui_app)  # after the fast lane: it wraps the lane too
    web_security.restrict_socket_origin(settings)

    def startup() -> None:
        ctx = context.init(settings)
        if settings.run_worker:
            from app.core import runtime

            runtime.start(ctx)

    def shutdown() -> None:
        from app.core import runtime

        runtime.stop()
        context.close()

    nicegui_app.on_startup(startup)
    nicegui_app.on_shutdown(shutdown)


def serve(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    build(settings)
    ui.run(
        host=settings.host,
        port=settings.port,
        title="Parcours",
        reload=False,
        show=False,
        storage_secret=keys.session_secret(settings),  # its own key: see app/access/keys.py
        session_middleware_kwargs=web_security.session_cookie_options(settings),
        favicon="🧭",
        show_welcome_message=True,
    )
