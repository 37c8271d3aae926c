"""Alembic migrations of the store schema (run through `kstui.store.migrate`)."""
