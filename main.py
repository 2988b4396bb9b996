"""Parcours entry point: serves the web app by default, plus CLI subcommands (python main.py --help)."""

import os
import sys

from app.core.cli import main

# Only when run: processes spawned by `python main.py ingest --processes N` import this file as __mp_main__ and
# must not run the command line again.
if __name__ == "__main__":
    # Files this process creates (database, its -wal/-shm, secret key, session storage) are its owner's only.
    os.umask(0o077)
    if os.environ.get("NICEGUI_USER_SIMULATION"):
        # NiceGUI's User test fixture runs this file: build the app, never parse pytest's argv.
        from app.core.server import serve

        serve()
    else:
        sys.exit(main())
