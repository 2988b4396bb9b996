"""Signing in and out, the first-run set-up of the admin account, and the "not allowed" page."""

from __future__ import annotations

import asyncio
import math

from fastapi import Request
from nicegui import ui
from starlette.responses import RedirectResponse, Response

from app.access import audit, auth
from app.access import policy as access
from app.access.policy import VIEWER, public, requires
from app.core.context import current
from app.core.theme import frame
from app.i18n import t
from app.wording import refusal


def _card(title: str) -> ui.card:
    ui.page_title(f"{title} · Parcours")
    with ui.column().classes("w-full items-center p-10"):
        card = ui.card().classes("w-96 gap-3")
    with card:
        ui.label("Parcours").classes("text-xl font-bold text-indigo-700")
        ui.label(title).classes("text-lg font-medium")
    return card


@public
def login_page(request: Request) -> Response | None:
    ctx = current()
    target = access.safe_next(request.query_params.get("next"))
    if not access.set_up_done(ctx):
        return RedirectResponse("/setup", status_code=303)
    signed_in = access.current_principal()
    if signed_in is not None:
        return RedirectResponse(auth.home_path(signed_in.role) if target == "/" else target, status_code=303)
    ip = access.client_ip(request)
    with _card(t("login.title")):
        if request.query_params.get("ended"):  # sent here by app.access.guard from an open tab
            ui.label(t("guard.signed_out")).classes("text-amber-800").mark("session-ended")
        email = ui.input(t("login.email")).props("autofocus autocomplete=username").classes("w-full").mark("email")
        password = ui.input(t("login.password"), password=True).props("autocomplete=current-password")
        password.classes("w-full").mark("password")
        error = ui.label("").classes("text-red-700").mark("login-error")

        async def submit() -> None:
            try:
                principal = await asyncio.to_thread(auth.login, ctx, email=email.value, password=password.value, ip=ip)
            except auth.LoginRefused as exc:
                password.value = ""
                if exc.retry_after is not None:
                    error.set_text(t("login.throttled", seconds=math.ceil(exc.retry_after.total_seconds())))
                else:
                    error.set_text(t("login.wrong"))
                return
            access.sign_in(principal)
            ui.navigate.to(auth.home_path(principal.role) if target == "/" else target)

        password.on("keydown.enter", submit)
        ui.button(t("login.submit"), on_click=submit).classes("w-full").mark("login-submit")
    return None


@public
def setup_page(request: Request) -> None:
    ctx = current()
    with _card(t("setup.title")):
        if access.set_up_done(ctx):
            ui.label(t("setup.done")).mark("setup-done")
            ui.link(t("setup.go_login"), "/login")
            return
        ui.label(t("setup.hint")).classes("text-gray-600")
        email = ui.input(t("login.email")).classes("w-full").mark("setup-email")
        name = ui.input(t("setup.name")).classes("w-full").mark("setup-name")
        password = ui.input(t("login.password"), password=True).classes("w-full").mark("setup-password")
        confirm = ui.input(t("setup.confirm"), password=True).classes("w-full").mark("setup-confirm")
        error = ui.label("").classes("text-red-700").mark("setup-error")
        ip = access.client_ip(request)

        def submit() -> None:
            email.error = password.error = confirm.error = None
            error.set_text("")
            if password.value != confirm.value:
                confirm.error = t("setup.mismatch")
                return
            try:
                auth.create_first_admin(ctx, email=email.value, password=password.value, display_name=name.value, ip=ip)
                principal = auth.login(ctx, email=email.value, password=password.value, ip=ip)
            except auth.AuthError as exc:
                fields = {"email": email, "password": password}
                if exc.field in fields:
                    fields[exc.field].error = refusal(exc)  # shown on the field it concerns
                else:
                    error.set_text(refusal(exc))
                return
            access.sign_in(principal)
            ui.navigate.to("/")

        ui.button(t("setup.submit"), on_click=submit).classes("w-full").mark("setup-submit")


@public
def logout_page(request: Request) -> Response:
    principal = access.current_principal()
    if principal is not None:
        audit.record(current(), principal.email, "logout", principal.email, ip=access.client_ip(request))
    access.sign_out()
    return RedirectResponse("/login", status_code=303)


def denied_page() -> None:
    with frame(t("denied.title")):
        ui.label(t("denied.body")).mark("denied")
        ui.link(t("denied.home"), "/")


def register() -> None:
    ui.page("/login")(login_page)
    ui.page("/setup")(setup_page)
    ui.page("/logout")(logout_page)
    ui.page("/denied")(requires(VIEWER)(denied_page))
