"""Bring a database to the latest schema with Alembic, without an alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


MIGRATION_LOCK = 7_315_001  # PostgreSQL advisory lock id: one process migrates, the others wait


def upgrade(engine: Engine) -> None:
    # "heads": feature branches of the schema each add their own revision on top of the foundation.
    if engine.dialect.name != "postgresql":
        command.upgrade(alembic_config(engine), "heads")
        return
    # Many processes (web, ingest, workers) start at once against one database: they take turns, and those
    # after the first find nothing left to do.
    with engine.connect() as lock:
        lock.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        try:
            command.upgrade(alembic_config(engine), "heads")
        finally:
            lock.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
            lock.commit()
