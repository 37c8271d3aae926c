"""Persistence: the SQLite store, its tables, migrations, seed loading and search index."""
