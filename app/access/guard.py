"""Access checked again at the moment of every action: the one wrapper for NiceGUI event handlers.

A page checks the role when it is built, but a tab can stay open for hours while an admin demotes or deactivates
the account or its password changes. So every handler that changes state is wrapped::

    from app.access.guard import guarded

    ui.button("Save", on_click=guarded(MARKETER)(self.save))

    class Editor:
        @guarded(MARKETER)
        def save(self) -> None: ...

On each call the wrapper reads the account's current role and status from the database (one primary-key query,
``access.session_principal``), and only then runs the handler:

- the role is now too low: nothing runs, a notification says so (EN/FR); the same when the handler itself finds
  it needs more (``access.ensure`` raising PermissionError), so handlers need no ``except PermissionError``;
- the session is no longer valid (deactivated, password changed, signed out elsewhere): nothing runs, a
  notification says so and the tab is sent to sign-in (``/login?ended=1&next=<this page>``).

While the handler runs, ``access.current_principal()``, ``access.ensure(role)`` and ``access.current_actor()``
return the account read at the start of the click, so the handler's own checks cost no further query. A guarded
handler called from another guarded handler of the same click reuses that read too. The wrapper works for sync and
async handlers and keeps the handler's signature (NiceGUI passes event arguments only to handlers that take them).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from nicegui import ui

from app.access import auth
from app.access import policy as access
from app.access.policy import Principal
from app.i18n import t

GUARD_ATTR = "parcours_guard"
Handler = TypeVar("Handler", bound=Callable[..., Any])


def guarded(role: str) -> Callable[[Handler], Handler]:
    """Wrap an event handler so it runs only if the account has ``role`` at the moment of the click."""
    auth.check_level(role)

    def decorate(func: Handler) -> Handler:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                principal = admit(role)
                if principal is None:
                    return None
                token = access.ACTING.set(principal)
                try:
                    return await func(*args, **kwargs)
                except PermissionError:
                    return _notify("denied.title")
                finally:
                    access.ACTING.reset(token)

            wrapper: Any = run_async
        else:

            @functools.wraps(func)
            def run(*args: Any, **kwargs: Any) -> Any:
                principal = admit(role)
                if principal is None:
                    return None
                token = access.ACTING.set(principal)
                try:
                    return func(*args, **kwargs)
                except PermissionError:
                    return _notify("denied.title")
                finally:
                    access.ACTING.reset(token)

            wrapper = run
        setattr(wrapper, GUARD_ATTR, role)
        return wrapper

    return decorate


def admit(role: str) -> Principal | None:
    """The account if it may act with ``role`` now; otherwise tells the user why and returns None."""
    principal = access.ACTING.get() or access.session_principal()
    if principal is None:
        _notify("guard.signed_out")
        access.sign_out()
        ui.navigate.to(f"/login?ended=1&next={quote(_page_path(), safe='/')}")
        return None
    if not auth.allows(principal.role, role):
        _notify("guard.refused", role=auth.ROLE_KEYS[role])
        return None
    return principal


def _notify(key: str, role: str | None = None) -> None:
    from app.core.theme import use_language  # the theme imports access: import it late

    use_language()
    ui.notify(t(key, role=t(role)) if role else t(key), type="negative")


def _page_path() -> str:
    try:
        request = ui.context.client.request
    except (AttributeError, RuntimeError):
        return "/"
    return access.safe_next(request.url.path if request is not None else "/")
