"""The shared page chrome: header with navigation and language switcher, then the page content.

Pages call ``with frame("area.title"):`` (a translation key) and build their content inside. The language
of the page is chosen here (the user's stored choice, else the browser's Accept-Language) and set on
``app.i18n.language`` so every ``t()`` call of the page uses it. Event handlers run outside the page
build: ``app.i18n`` asks :func:`tab_language` (registered below) for the tab's language whenever nothing set it,
so their text is in the user's language too, with no call to restore it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import app as nicegui_app
from nicegui import ui
from nicegui.slot import Slot, get_task_id

from app import i18n
from app.access import policy as access
from app.access.auth import ADMIN, AGENT, MARKETER, ROLE_KEYS, allows, home_path
from app.i18n import t

NAV = [
    ("nav.journeys", "/"),
    ("nav.contacts", "/contacts"),
    ("nav.segments", "/segments"),
    ("nav.dashboard", "/dashboard"),
    ("nav.models", "/models"),
    ("nav.settings", "/settings"),
    ("help.nav", "/help"),
]
# The people's inbox and the FAQ: every role may read them, and they are all an agent sees.
SUPPORT_NAV = [("nav.inbox", "/inbox"), ("nav.faq", "/faq")]
# Shown to marketers and administrators (cosmetic, like ADMIN_NAV).
MARKETER_NAV = [("outbox.title", "/outbox"), ("nav.debugger", "/debugger")]
# Shown to administrators only (cosmetic: the server refuses these pages to anyone else).
ADMIN_NAV = [("nav.users", "/admin/users"), ("nav.audit", "/admin/audit"), ("nav.quarantine", "/admin/quarantine")]
LANGUAGE_KEY = "language"


def _accept_language() -> str | None:
    try:
        return ui.context.client.request.headers.get("accept-language")
    except (RuntimeError, AttributeError):
        return None


def _stored_language() -> str | None:
    try:
        return nicegui_app.storage.user.get(LANGUAGE_KEY)
    except (RuntimeError, AssertionError, KeyError):
        return None


def use_language() -> str:
    """Pick the language of the current user and make it current for ``t()``; returns its code."""
    code = i18n.pick_language(_stored_language(), _accept_language())
    i18n.language.set(code)
    return code


def tab_language() -> str | None:
    """The language of the browser tab whose event is being handled, or None outside any tab (API, CLI)."""
    if not Slot.stacks.get(get_task_id()):  # outside a tab: never create a slot stack or a script-mode client
        return None
    return i18n.pick_language(_stored_language(), _accept_language())


i18n.resolve_with(tab_language)


def set_language(code: str) -> None:
    """Remember the user's choice and rebuild the page in that language."""
    if code not in i18n.LANGUAGES:
        return
    nicegui_app.storage.user[LANGUAGE_KEY] = code
    i18n.language.set(code)
    ui.navigate.reload()


def _header(current_path: str | None) -> None:
    with ui.header().classes("items-center bg-indigo-700 text-white gap-6 px-6 py-2").mark("app-header"):
        principal = access.current_principal()
        home = home_path(principal.role) if principal is not None else "/"
        ui.link(t("app.name"), home).classes("text-xl font-bold text-white no-underline")
        with ui.row().classes("gap-4 items-center").mark("main-nav"):
            for key, target in _nav(principal.role if principal is not None else None):
                active = current_path == target or (target != "/" and (current_path or "").startswith(target))
                link = ui.link(t(key), target).classes("text-white no-underline opacity-80 hover:opacity-100")
                if active:
                    link.classes("font-semibold opacity-100 underline underline-offset-8")
        ui.space()
        from app.pages.demo_badge import badge  # the demo's state is read per page; pages import theme

        badge()
        if principal is not None:
            _account(principal)
        ui.toggle(
            {code: code.upper() for code in i18n.LANGUAGES},
            value=i18n.current_language(),
            on_change=lambda e: set_language(e.value),
        ).props("dense unelevated toggle-color=white toggle-text-color=indigo-9 text-color=white").tooltip(
            t("nav.language")
        ).mark("language-switcher")


def _nav(role: str | None) -> list[tuple[str, str]]:
    """The menu entries for a role (cosmetic: every page checks the role on the server)."""
    if role == AGENT:
        return SUPPORT_NAV
    marketer = role is not None and allows(role, MARKETER)
    return NAV + SUPPORT_NAV + (MARKETER_NAV if marketer else []) + (ADMIN_NAV if role == ADMIN else [])


def _account(principal: access.Principal) -> None:
    """Who is signed in (name and role) and the way out."""
    name = principal.display_name or principal.email
    ui.label(t("nav.signed_in_as", name=name, role=t(ROLE_KEYS[principal.role]))).classes("text-sm opacity-90").mark(
        "signed-in-as"
    )
    ui.link(t("nav.logout"), "/logout").classes("text-white text-sm no-underline opacity-80 hover:opacity-100").mark(
        "logout"
    )


def _current_path() -> str | None:
    try:
        return ui.context.client.request.url.path
    except (RuntimeError, AttributeError):
        return None


@contextmanager
def frame(title: str) -> Iterator[None]:
    """Draw the header and a centred content column.

    ``title`` may be a translation key (translated once the user's language is known, the safest way) or text
    the caller already translated (call ``use_language()`` before ``t()`` so that text is in the right language).
    """
    use_language()
    heading = t(title) if title in i18n.tables()[i18n.DEFAULT_LANGUAGE] else title
    ui.page_title(f"{heading} · {t('app.name')}")
    ui.colors(primary="#4338ca")
    _header(_current_path())
    with ui.column().classes("w-full max-w-6xl mx-auto p-6 gap-4"):
        if heading:
            ui.label(heading).classes("text-2xl font-semibold").mark("page-title")
        yield
