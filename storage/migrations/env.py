"""Alembic environment: runs migrations on the engine handed over by storage.migrate."""

from alembic import context
from sqlmodel import SQLModel

import storage.all_models  # noqa: F401  (registers every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
