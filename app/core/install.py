"""The install id: a random value generated once per database and kept in it.

It goes into every idempotency key sent to providers, so two installs sharing a provider account (staging and
production, or a database created again) never send the same keys, while retries of one install always do.
"""

from __future__ import annotations

import uuid

from app.core.context import AppContext
from storage.workspace import setting_once

INSTALL_KEY = "install"


def install_id(ctx: AppContext) -> str:
    with ctx.db.session() as session:
        stored = setting_once(session, key=INSTALL_KEY, value={"id": uuid.uuid4().hex}, now=ctx.clock.now())
    return str(stored["id"])
