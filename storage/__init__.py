"""Persistence: SQLModel tables, engine/session setup, Alembic migrations and every SQL query."""

from storage import types as _types  # noqa: F401  (ids are 64-bit on every table defined from here on)
