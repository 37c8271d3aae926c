"""The service and store tests run on both engines: `store` is parametrized.

A test about SQLite itself (pragmas, its lock, its files) asks for `sqlite_store`
instead; a test that builds its own store from a path stays on SQLite.
"""

from __future__ import annotations

import pytest

from kstui.store.interface import Store

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine the test's store runs on."""
    return str(request.param)


@pytest.fixture
def store(engine: str, request: pytest.FixtureRequest) -> Store:
    """A fresh copy of the seeded test store, on SQLite and on PostgreSQL."""
    fixture = "sqlite_store" if engine == "sqlite" else "pg_store"
    found: Store = request.getfixturevalue(fixture)
    return found
