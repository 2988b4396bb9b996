"""Persistence: SQLModel tables, engine/session setup, Alembic migrations and every SQL query."""
