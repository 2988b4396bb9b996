"""What routes receive by injection rather than look up: the application context of this process.

    @router.get("/things")
    def things(ctx: Ctx) -> list[dict]: ...

The dependency is a coroutine, so FastAPI resolves it in the event loop without a thread hop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.core.context import AppContext, current


async def app_context() -> AppContext:
    return current()


Ctx = Annotated[AppContext, Depends(app_context)]
