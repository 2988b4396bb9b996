"""Parcours entry point: serves the web app by default, plus CLI subcommands (python main.py --help)."""

import os
import sys

from app.cli import main

if __name__ in {"__main__", "__mp_main__"}:
    # Files this process creates (database, its -wal/-shm, secret key, session storage) are its owner's only.
    os.umask(0o077)
    if os.environ.get("NICEGUI_USER_SIMULATION"):
        # NiceGUI's User test fixture runs this file: build the app, never parse pytest's argv.
        from app.server import serve

        serve()
    else:
        sys.exit(main())
