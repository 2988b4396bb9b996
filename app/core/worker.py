"""``python main.py worker``: the engine and dispatcher without the web UI, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal

from app.core import context, runtime
from app.core.settings import Settings


async def _serve(settings: Settings) -> None:
    ctx = context.init(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runtime.start(ctx)
    logging.getLogger("parcours.worker").info("worker running")
    try:
        await stop.wait()
    finally:
        await asyncio.to_thread(runtime.stop)
        context.close()


def run(settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_serve(settings))
    return 0
