"""NiceGUI pages, one module per page (or family of pages), each with a ``register()`` function.

Pages are registered by a function, not at import time, so a test run can register them again. Every
module in this package that defines ``register`` is picked up, so adding a page touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil


def register_pages() -> None:
    import app.pages as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register()
