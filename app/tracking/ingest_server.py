"""The ingestion role: the tracking API alone, in several processes sharing one port.

``python main.py ingest --processes N`` serves exactly what apps post to (``/v1/*``, ``/api/v1/{identify,
track,page,screen,group,alias,batch}`` and ``/api/v1/health``) with no UI, in N processes, which is how
ingestion uses more than one core: parsing, validation and preparation run in parallel, and each batch's
writes take the database's write lock in turn (``Database.write_session`` begins ``IMMEDIATE`` on SQLite, so
processes queue on the lock instead of racing). The processes are stateless and interchangeable: write keys
are checked in the database on every call, and the schema is migrated once, before they start.

What stays per process: the live debugger's ring of recent calls (the web process's ``/debugger`` shows the
calls it received itself) and the in-process engine wake-up (a separate worker finds new events on its poll).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.core import context, errors, web_security
from app.core.settings import Settings, get_settings


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    context.init(get_settings(), migrate=False)  # the parent migrated before starting the processes
    try:
        yield
    finally:
        context.close()


def create_app() -> FastAPI:
    """The tracking API and the health check, on an app of their own (one per process)."""
    from app.api import health, tracking

    app = FastAPI(title="Parcours ingestion", openapi_url=None, docs_url=None, redoc_url=None, lifespan=_lifespan)
    app.include_router(tracking.router)
    app.include_router(health.router)
    errors.install(app)
    web_security.install_headers(app)
    return app


def serve(settings: Settings | None = None, *, processes: int = 1) -> None:
    """Migrate the database, then serve the tracking API in ``processes`` processes on the configured port."""
    import uvicorn

    settings = settings or get_settings()
    context.init(settings)  # brings the schema up to date once, so the processes need not race to do it
    context.close()
    uvicorn.run(
        "app.tracking.ingest_server:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=processes,
        access_log=False,
        log_level="warning",
        # A process that is still importing is not hung: a busy machine can take far longer than the default
        # five seconds to start one, and killing it then only starts the wait over.
        timeout_worker_healthcheck=120,
    )
