"""Admin: the accounts of the workspace (create, change role, deactivate)."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from app.access import auth
from app.access import policy as access
from app.access.auth import ACCOUNT_ROLES as ROLES
from app.access.guard import guarded
from app.access.policy import ADMIN, requires
from app.core.context import current
from app.core.theme import frame
from app.i18n import t
from app.wording import refusal
from storage.trust import UserRow


def _role_options() -> dict[str, str]:
    return {role: t(auth.ROLE_KEYS[role]) for role in ROLES}


@guarded(ADMIN)
def _act(action: str, *args: object, fields: dict[str, ValidationElement] | None = None, **kwargs: object) -> bool:
    """Run an account change as the signed-in admin (re-checked now). A refusal about one of ``fields`` (by
    ``AuthError.field``) is shown under that input; any other refusal is a one-line notification."""
    fields = fields or {}
    for box in fields.values():
        box.error = None
    try:
        principal = access.ensure(ADMIN)
        getattr(auth, action)(current(), *args, actor=principal.email, **kwargs)
    except auth.AuthError as exc:
        if exc.field in fields:
            fields[exc.field].error = refusal(exc)
        else:
            ui.notify(refusal(exc), type="negative")
        return False
    except PermissionError as exc:
        ui.notify(refusal(exc), type="negative")
        return False
    return True


def _password_dialog(email: str) -> ui.dialog:
    """Set a new password for one account; a refused password is said under the field."""
    with ui.dialog() as dialog, ui.card().classes("w-96").mark(f"password-dialog-{email}"):
        ui.label(t("users.set_password_title")).classes("text-lg font-medium")
        ui.label(email).classes("text-gray-600 text-sm")
        password = ui.input(t("users.new_password"), password=True).classes("w-full").mark(f"set-password-{email}")
        ui.label(t("users.new_password_hint")).classes("text-gray-500 text-sm")

        def save() -> None:
            if _act("set_password", email=email, password=password.value or "", fields={"password": password}):
                ui.notify(t("users.password_changed"), type="positive")
                password.value = ""
                dialog.close()

        with ui.row().classes("w-full justify-end"):
            ui.button(t("common.cancel"), on_click=dialog.close).props("flat")
            ui.button(t("common.save"), on_click=save).mark(f"set-password-save-{email}")
    return dialog


def _user_row(user: UserRow, refresh: ui.refreshable) -> None:
    card = ui.card().classes("w-full").props("flat bordered").mark(f"user-{user.email}")
    with card, ui.row().classes("w-full items-center gap-4"):
        with ui.column().classes("grow gap-0"):
            ui.label(user.display_name or user.email).classes("font-medium")
            ui.label(user.email).classes("text-gray-600 text-sm")
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else t("users.never")
        ui.label(t("users.last_login", when=last)).classes("text-gray-500 text-sm")

        def change(event: object, email: str = user.email) -> None:
            if _act("change_role", email=email, role=event.value):  # type: ignore[attr-defined]
                ui.notify(t("users.role_changed"), type="positive")
            refresh.refresh()

        ui.select(_role_options(), value=user.role, on_change=change).classes("w-36").mark(f"role-{user.email}")
        dialog = _password_dialog(user.email)
        ui.button(t("users.set_password"), on_click=dialog.open).props("flat").mark(f"password-{user.email}")
        if user.active:
            ui.button(
                t("users.deactivate"),
                on_click=lambda email=user.email: _act("set_active", email=email, active=False) and refresh.refresh(),
            ).props("flat color=negative").mark(f"deactivate-{user.email}")
        else:
            ui.badge(t("users.inactive"), color="grey")
            ui.button(
                t("users.activate"),
                on_click=lambda email=user.email: _act("set_active", email=email, active=True) and refresh.refresh(),
            ).props("flat").mark(f"activate-{user.email}")


def _create_form(refresh: ui.refreshable) -> None:
    with ui.card().classes("w-full").props("flat bordered"):
        ui.label(t("users.create")).classes("text-lg font-medium")
        with ui.row().classes("w-full items-end gap-3"):
            email = ui.input(t("login.email")).mark("new-email")
            name = ui.input(t("setup.name")).mark("new-name")
            role = ui.select(_role_options(), value="marketer", label=t("users.role")).classes("w-36").mark("new-role")
            password = ui.input(t("users.initial_password"), password=True).mark("new-password")

            def create() -> None:
                fields = {"email": email, "password": password, "role": role}
                values = {"email": email.value or "", "password": password.value or "", "display_name": name.value}
                if _act("create_user", role=role.value, fields=fields, **values):
                    ui.notify(t("users.created"), type="positive")
                    email.value = name.value = password.value = ""
                    refresh.refresh()

            ui.button(t("users.create_button"), on_click=create).mark("create-user")
        ui.label(t("users.password_hint")).classes("text-gray-500 text-sm")


def users_page() -> None:
    with frame(t("users.title")):

        @ui.refreshable
        def user_list() -> None:
            with ui.column().classes("w-full gap-2").mark("user-list"):
                for user in auth.list_users(current()):
                    _user_row(user, user_list)

        _create_form(user_list)
        user_list()


def register() -> None:
    ui.page("/admin/users")(requires(ADMIN)(users_page))
